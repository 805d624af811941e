/** The field only a form-filling robot would fill (decision 12). People never see or reach it. */
export const HONEYPOT_FIELD = 'homepage'

/**
 * Visually hidden, hidden from screen readers, out of the tab order and closed to autofill, so
 * a person (or their password manager) leaves it empty. A filled one gets a normal-looking
 * answer, and nothing is stored.
 */
export function Honeypot({ value = '' }: { value?: string }) {
  return (
    <div className="visually-hidden" aria-hidden="true">
      <label htmlFor={HONEYPOT_FIELD}>Leave this empty</label>
      <input id={HONEYPOT_FIELD} name={HONEYPOT_FIELD} type="text" tabIndex={-1} autoComplete="off" defaultValue={value} />
    </div>
  )
}

/** True when the honeypot came back filled in. */
export const caughtInHoneypot = (form: FormData) => {
  const v = form.get(HONEYPOT_FIELD)
  return typeof v === 'string' && v.trim() !== ''
}
