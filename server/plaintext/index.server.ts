import { checkStep } from './check-form.server'
import type { PlainPathDeps } from './deps.server'
import { downloadStep } from './download.server'
import { reportStep } from './report-form.server'
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
  return {
    report: (request: Request) => reportStep(request, deps),
    check: (request: Request) => checkStep(request, deps),
    download: (request: Request) => downloadStep(request, deps),
  }
}

export type PlainPath = ReturnType<typeof plainPath>
