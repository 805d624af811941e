import { parseReceipt } from '#crypto'
import type { Translate } from '#common/i18n/translate'
import { receiptRefusal } from '#common/receipt-words'
import { isUserError, UserError } from '#common/errors'
import { formString } from '#common/forms'
import { caughtInHoneypot } from '#common/honeypot'
import { LIMITS } from '#common/limits'
import { threadModel, type ThreadModel } from '#common/thread-model'
import { noSuchReport } from '../reports.server'
import type { PlainSteps } from './deps.server'
import { attachments, readPostedForm, type PlainFile } from './uploads.server'

export type CheckStep =
  | { step: 'enter'; error?: string }
  | {
      step: 'thread'
      thread: ThreadModel
      receipt: string
      notice?: string
      error?: string
      withdrawError?: string
      /** A follow-up the server refused: its words go back in the box, and the page answers with the refusal's status. */
      draft?: string
      status?: UserError['status']
    }

/**
 * "Check replies" without JavaScript: the code is posted, the keys are derived and the thread
 * opened in this request's memory, then forgotten. Nothing ties the request to the report. A
 * follow-up may carry files, stored as ciphertext while the form streams in.
 */
export async function checkStep(request: Request, deps: PlainSteps): Promise<CheckStep> {
  const { blobs } = deps
  // The shared no-JS budget, before a byte of the form is read (decision 12).
  deps.forms.spend()
  const { form, files } = await readPostedForm(request, blobs, blobs.limits)
  // The form posts to its page's own address, so the page's language is in it.
  const lang = deps.i18n.requestLang(request)
  try {
    return await step(form, files, deps, { t: deps.i18n.translatorFor(lang), lang, say: (err) => deps.i18n.refusal(lang, err) })
  } finally {
    // Files go only with the follow-up that names them; whatever that did not attach (a refusal,
    // an unknown code, the honeypot) is deleted. Attached ones no longer match their token.
    await blobs.discard(attachments(files))
  }
}

/** `t` words this step's page, `say` a refusal it shows there: both in the page's language. */
type Words = { t: Translate; lang: string; say: (err: UserError) => string }

async function step(form: FormData, files: PlainFile[], deps: PlainSteps, { t, lang, say }: Words): Promise<CheckStep> {
  const intent = formString(form, 'intent', 20)
  const receiptInput = formString(form, 'receipt', LIMITS.receiptInputChars)
  const parsed = parseReceipt(receiptInput)
  if (!parsed.ok) return { step: 'enter', error: receiptRefusal(t, parsed) }
  // A robot filled the hidden field: answer as for an unknown code, without looking it up.
  if (caughtInHoneypot(form)) return { step: 'enter', error: say(noSuchReport()) }
  const { reports } = deps
  let notice: string | undefined
  let error: string | undefined
  let withdrawError: string | undefined
  try {
    if (intent === 'followup') {
      const raw = form.get('message')
      const message = typeof raw === 'string' ? raw.replace(/\r\n/g, '\n').trim() : ''
      if (!message && !files.length) error = t('check.reply.emptyPlain')
      else if (message.length > LIMITS.followupChars)
        error = t('check.reply.tooLong', { length: message.length.toLocaleString(lang), limit: LIMITS.followupChars.toLocaleString(lang) })
      else
        try {
          await reports.followup(parsed.normalised, message, files)
          notice = files.length ? t('check.reply.sentPlainFiles') : t('check.reply.sentPlain')
        } catch (err) {
          // Refused (a spent budget, a file too big, a full disk…): say so on the thread, with the
          // words put back in the box; the files are not kept. No report at all is the entry page's.
          if (!isUserError(err) || err.status === 404) throw err
          const opened = await reports.open(parsed.normalised)
          const filesGone = files.length ? ` ${t('check.reply.filesNotKept')}` : ''
          return { step: 'thread', thread: threadModel(opened), receipt: parsed.formatted, error: say(err) + filesGone, draft: message, status: err.status }
        }
    } else if (intent === 'withdraw') {
      // Deleting a report for good is asked for only with the box ticked; a bare post changes nothing.
      if (form.get('confirm') !== 'yes') withdrawError = t('check.withdraw.unticked')
      else {
        await reports.withdraw(parsed.normalised)
        notice = t('check.withdraw.sent')
      }
    } else if (intent !== 'open') throw new UserError(400, 'errors.forms.notUnderstood')
    const opened = await reports.open(parsed.normalised)
    return { step: 'thread', thread: threadModel(opened), receipt: parsed.formatted, notice, error, withdrawError }
  } catch (err) {
    if (isUserError(err) && err.status === 404) return { step: 'enter', error: say(err) }
    throw err
  }
}
