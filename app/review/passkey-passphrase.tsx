import type { FormEvent } from 'react'
import { useT } from '~/ui/i18n'

/**
 * The unlock passphrase for a passkey without PRF, asked when a reviewer adds or recovers a
 * passkey. (The setup page asks the same; once its own step component lands, share one.)
 */
export function PassphraseStep(props: { busy: boolean; error?: string; onError: (e: string) => void; onPassphrase: (p: string) => void }) {
  const t = useT()
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault()
    const f = new FormData(e.currentTarget)
    const pass = String(f.get('passphrase') ?? '')
    if (pass.length < 12) return props.onError(t('enrol.passphrase.tooShort'))
    if (pass !== f.get('confirm')) return props.onError(t('enrol.passphrase.differ'))
    props.onPassphrase(pass)
  }
  return (
    <form className="narrow" onSubmit={submit}>
      <h1>{t('enrol.passphrase.heading')}</h1>
      <p>{t('enrol.passphrase.body')}</p>
      {props.error ? (
        <p className="field__error" role="alert">
          {props.error}
        </p>
      ) : null}
      <div className="field">
        <label htmlFor="passphrase" className="field__label">
          {t('enrol.passphrase.label')}
        </label>
        <input id="passphrase" name="passphrase" type="password" autoComplete="new-password" minLength={12} required />
      </div>
      <div className="field">
        <label htmlFor="confirm" className="field__label">
          {t('enrol.passphrase.confirm')}
        </label>
        <input id="confirm" name="confirm" type="password" autoComplete="new-password" required />
      </div>
      <button type="submit" className="button" disabled={props.busy}>
        {props.busy ? t('enrol.passphrase.busy') : t('enrol.passphrase.continue')}
      </button>
    </form>
  )
}
