import type { AppLoadContext } from '@remix-run/node'
import { formatReceipt, newReceipt, parseReceipt } from '../../crypto/index'
import { answersFromForm, parseAnswers } from '../../server/answers.server'
import { UserError } from '../../server/errors.server'
import { LIMITS } from '../../server/limits'
import type { Answers } from '../../server/report-fields'
import { lastGroupMatches } from '~/components/receipt-card'
import { caughtInHoneypot, HONEYPOT_FIELD } from '~/components/honeypot'
import type { FormErrors, FormValues } from '~/components/report-form'
import { formString, readForm } from './http.server'

export type ReportStep =
  | { step: 'form'; values: FormValues; errors: FormErrors }
  | { step: 'review'; values: FormValues; receipt?: string; sendError?: string; trap?: string }
  | { step: 'receipt'; receipt: string; sealedIn: 'browser' | 'server'; confirmError?: string }
  | { step: 'done'; sealedIn: 'browser' | 'server' }

/**
 * The report page without JavaScript: each button posts the form, and the answer is the next
 * step. Plaintext lives only in this request's memory; only the sealed report is stored.
 */
export async function reportStep(request: Request, context: AppLoadContext): Promise<ReportStep> {
  const form = await readForm(request)
  const intent = formString(form, 'intent', 20)
  if (intent === 'confirm') {
    const receipt = parseReceipt(formString(form, 'receipt', LIMITS.receiptInputChars))
    if (!receipt.ok) throw new UserError(400, 'The receipt on this page is not valid. Nothing was changed.')
    if (lastGroupMatches(receipt.formatted, formString(form, 'lastGroup', LIMITS.receiptInputChars)))
      return { step: 'done', sealedIn: 'server' }
    return {
      step: 'receipt',
      receipt: receipt.formatted,
      sealedIn: 'server',
      confirmError: 'That does not match the end of your code. Look again at what you wrote down.',
    }
  }

  const inboxId = formString(form, 'inboxId', 64)
  const raw = answersFromForm(form)
  const parsed = parseAnswers(raw)
  const inbox = await context.services.inboxes.get(inboxId)
  const values = { ...(raw as Answers), ...(parsed.ok ? parsed.answers : {}), inboxId }
  const errors: FormErrors = parsed.ok ? {} : { ...parsed.errors }
  if (!inbox) errors.inboxId = 'Choose who should receive your report.'

  if (intent === 'edit' || Object.keys(errors).length > 0) return { step: 'form', values, errors }
  // Chosen now and carried in the form, so sending twice (a reload re-posts) files one report.
  // A filled honeypot rides along to the send step, which then answers normally but stores nothing.
  const trap = caughtInHoneypot(form) ? formString(form, HONEYPOT_FIELD, 200) : undefined
  if (intent === 'review') return { step: 'review', values, receipt: newReceipt(), trap }
  if (intent !== 'send' || !parsed.ok) throw new UserError(400, 'The form was not understood. Nothing was sent.')
  if (trap) return { step: 'receipt', receipt: formatReceipt(newReceipt()), sealedIn: 'server' }
  const chosen = parseReceipt(formString(form, 'receipt', LIMITS.receiptInputChars))
  const { receipt } = await context.services.reports.submitPlain(inboxId, parsed.answers, chosen.ok ? chosen.normalised : newReceipt())
  return { step: 'receipt', receipt: formatReceipt(receipt), sealedIn: 'server' }
}
