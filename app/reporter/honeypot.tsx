import { HONEYPOT_FIELD } from '#common/honeypot'
import { useT } from '~/ui/i18n'

/**
 * Visually hidden, hidden from screen readers, out of the tab order and closed to autofill, so
 * a person (or their password manager) leaves it empty. A filled one gets a normal-looking
 * answer, and nothing is stored.
 */
export function Honeypot({ value = '' }: { value?: string }) {
  const t = useT()
  return (
    <div className="visually-hidden" aria-hidden="true">
      <label htmlFor={HONEYPOT_FIELD}>{t('reporter.honeypot')}</label>
      <input id={HONEYPOT_FIELD} name={HONEYPOT_FIELD} type="text" tabIndex={-1} autoComplete="off" defaultValue={value} />
    </div>
  )
}
