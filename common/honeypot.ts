/** The field only a form-filling robot would fill (decision 12). People never see or reach it. */
export const HONEYPOT_FIELD = 'homepage'

/** True when the honeypot came back filled in. */
export const caughtInHoneypot = (form: FormData) => {
  const v = form.get(HONEYPOT_FIELD)
  return typeof v === 'string' && v.trim() !== ''
}
