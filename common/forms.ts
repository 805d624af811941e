import { UserError } from './errors'

/** Reads a form body without trusting it to be well formed. */
export async function readForm(request: Request): Promise<FormData> {
  try {
    return await request.formData()
  } catch {
    throw new UserError(400, 'errors.forms.unreadable')
  }
}

/** One text field; a missing or file-valued field reads as empty, an overlong one is refused. */
export const formString = (form: FormData, key: string, max: number) => {
  const v = form.get(key)
  if (typeof v !== 'string') return ''
  if (v.length > max) throw new UserError(413, 'errors.forms.tooLong')
  return v
}
