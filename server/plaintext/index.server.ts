import { checkStep } from './check-form.server'
import type { PlainPathDeps } from './deps.server'
import { downloadStep } from './download.server'
import { reportStep, type ReportStep } from './report-form.server'
import { receiptViews } from './receipt-views.server'
import { plainReports } from './reports.server'

export type { CheckStep } from './check-form.server'
export type { ReportStep } from './report-form.server'

/**
 * The no-JavaScript path, the only place the server sees plaintext: answers, follow-ups, files
 * and receipts arrive as form fields, are sealed or opened in this request's memory with the
 * same crypto/ code the browser runs, and only ciphertext is kept. This folder is everything an
 * auditor reads to check that.
 */
export function plainPath(services: PlainPathDeps) {
  const deps = { ...services, reports: plainReports(services.reports, services.blobs) }
  const receipts = receiptViews()
  return {
    /**
     * A report step, or where to go instead: a receipt (and the "done" after it) is answered with
     * a redirect to an address that shows it again, so Back and reload never post the form twice.
     */
    report: async (request: Request): Promise<ReportStep | { redirect: string }> => {
      const step = await reportStep(request, deps)
      if (step.step === 'receipt' && !step.confirmError) return { redirect: receipts.keep(request, { ...step, step: 'receipt' }) }
      const done = step.step === 'done' ? receipts.done(request, step.sealedIn) : undefined
      return done ? { redirect: done } : step
    },
    /** The receipt step an address names (see above), if it names one. */
    shownReceipt: (request: Request) => receipts.shown(request),
    check: (request: Request) => checkStep(request, deps),
    download: (request: Request) => downloadStep(request, deps),
  }
}

export type PlainPath = ReturnType<typeof plainPath>
