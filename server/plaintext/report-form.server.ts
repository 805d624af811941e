import { formatReceipt, newReceipt, parseReceipt } from '#crypto'
import { answersFromForm, parseAnswers, type FormErrors, type FormValues } from '#common/answers'
import { RECEIPT_TAIL_MISMATCH, receiptTailMatches } from '#common/code-check'
import { isUserError, UserError } from '#common/errors'
import { formString } from '#common/forms'
import { caughtInHoneypot, HONEYPOT_FIELD } from '#common/honeypot'
import { minutesMessage, t, type Message } from '#common/i18n/message'
import { LIMITS } from '#common/limits'
import type { PlainSteps } from './deps.server'
import { attachments, carriedFiles, readPostedForm, tooMany, type PlainFile } from './uploads.server'

/**
 * Files sent without JavaScript are stored at the first step; `files` lists them (name, size and
 * a plain note of what was removed or may remain) and `fileRefs` is the hidden field that carries
 * them to the next step. Both are set on every server-made form and review step.
 */
type Carried = { files?: PlainFile[]; fileRefs?: string }

export type ReportStep =
  | ({ step: 'form'; values: FormValues; errors: FormErrors } & Carried)
  | ({ step: 'review'; values: FormValues; receipt?: string; sendError?: Message | string; trap?: string } & Carried)
  | { step: 'receipt'; receipt: string; sealedIn: 'browser' | 'server'; inboxId?: string; confirmError?: Message }
  | { step: 'done'; sealedIn: 'browser' | 'server' }

/**
 * The report page without JavaScript: each button posts the form, and the answer is the next
 * step. Plaintext lives only in this request's memory; only the sealed report is stored, and
 * files only as ciphertext (uploads.server.ts).
 */
export async function reportStep(request: Request, deps: PlainSteps): Promise<ReportStep> {
  const { blobs } = deps
  // The shared no-JS budget, before a byte of the form is read (decision 12).
  deps.forms.spend()
  const { form, files: uploaded } = await readPostedForm(request, blobs, blobs.limits)
  try {
    return await step(form, uploaded, deps)
  } catch (err) {
    // A refused step keeps nothing it brought; files from earlier steps stay for a retry.
    await blobs.discard(attachments(uploaded))
    throw err
  }
}

async function step(form: FormData, uploaded: PlainFile[], deps: PlainSteps): Promise<ReportStep> {
  const { blobs } = deps
  const intent = formString(form, 'intent', 20)
  if (intent === 'confirm') {
    await blobs.discard(attachments(uploaded))
    const receipt = parseReceipt(formString(form, 'receipt', LIMITS.receiptInputChars))
    if (!receipt.ok) throw new UserError(400, 'errors.forms.badReceipt')
    if (receiptTailMatches(receipt.formatted, formString(form, 'lastGroup', LIMITS.receiptInputChars))) return { step: 'done', sealedIn: 'server' }
    return {
      step: 'receipt',
      receipt: receipt.formatted,
      sealedIn: 'server',
      inboxId: formString(form, 'inboxId', 64) || undefined,
      confirmError: RECEIPT_TAIL_MISMATCH,
    }
  }

  const inboxId = formString(form, 'inboxId', 64)
  const parsed = parseAnswers({ ...answersFromForm(form), inboxId }, (await deps.inboxes.get(inboxId)) !== undefined)
  const values: FormValues = parsed.values
  const errors: FormErrors = parsed.ok ? {} : parsed.errors

  const files = [...carriedFiles(form, blobs.limits), ...uploaded]
  if (files.length > blobs.limits.perMessage) throw tooMany(blobs.limits.perMessage)
  const carried = { files, fileRefs: JSON.stringify(files) }
  // A filled honeypot rides along to the send step, which then answers normally but stores
  // nothing; its files are deleted now, though the page still lists them.
  const trap = caughtInHoneypot(form) ? formString(form, HONEYPOT_FIELD, 200) : undefined
  if (trap) await blobs.discard(attachments(files))

  if (intent === 'edit' || Object.keys(errors).length > 0) return { step: 'form', values, errors, ...carried }
  // Chosen now and carried in the form, so sending twice (a reload re-posts) files one report.
  if (intent === 'review') return { step: 'review', values, receipt: newReceipt(), trap, ...carried }
  if (intent !== 'send' || !parsed.ok) throw new UserError(400, 'errors.forms.notUnderstoodNotSent')
  if (trap) return { step: 'receipt', receipt: formatReceipt(newReceipt()), sealedIn: 'server', inboxId }
  const chosen = parseReceipt(formString(form, 'receipt', LIMITS.receiptInputChars))
  try {
    const { receipt } = await deps.reports.submit(inboxId, parsed.answers, chosen.ok ? chosen.normalised : newReceipt(), files)
    return { step: 'receipt', receipt: formatReceipt(receipt), sealedIn: 'server', inboxId }
  } catch (err) {
    // Files not sent within their time were deleted (decision 20): back to "Check your answers"
    // without them, answers kept, saying which went.
    const gone = isUserError(err) && err.status === 409 ? await blobs.unsendable(attachments(files)) : []
    if (!gone.length) throw err
    const kept = files.filter((f) => !gone.includes(f.ref.id))
    const names = files.filter((f) => gone.includes(f.ref.id)).map((f) => `"${f.ref.name}"`)
    const keptFor = minutesMessage(blobs.keptMinutes)
    const sendError =
      names.length === 1
        ? t('report.errors.fileDeleted', { name: names[0], kept: keptFor })
        : t('report.errors.filesDeleted', { names: names.join(', '), kept: keptFor })
    return { step: 'review', values, receipt: formString(form, 'receipt', LIMITS.receiptInputChars), sendError, files: kept, fileRefs: JSON.stringify(kept) }
  }
}
