import { formString, readForm } from '#common/forms'
import { LIMITS } from '#common/limits'
import type { PlainSteps } from './deps.server'

/**
 * A file from the reporter's thread without JavaScript: the code is posted again, the thread is
 * opened in this request's memory, and the file, opened whole, is handed back with its own
 * (already made safe) name.
 */
export async function downloadStep(request: Request, deps: PlainSteps): Promise<{ name: string; bytes: Uint8Array }> {
  // The shared no-JS budget, before the form is read (decision 12).
  deps.forms.spend()
  const form = await readForm(request)
  return deps.reports.download(formString(form, 'receipt', LIMITS.receiptInputChars), formString(form, 'file', 40))
}
