import type { FormEvent } from 'react'

/**
 * The unlock passphrase for a passkey without PRF, asked when a reviewer adds or recovers a
 * passkey. (The setup page asks the same; once its own step component lands, share one.)
 */
export function PassphraseStep(props: { busy: boolean; error?: string; onError: (e: string) => void; onPassphrase: (p: string) => void }) {
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault()
    const f = new FormData(e.currentTarget)
    const pass = String(f.get('passphrase') ?? '')
    if (pass.length < 12) return props.onError('Use at least 12 characters: a few unrelated words work well.')
    if (pass !== f.get('confirm')) return props.onError('The two passphrases differ.')
    props.onPassphrase(pass)
  }
  return (
    <form className="narrow" onSubmit={submit}>
      <h1>Choose an unlock passphrase</h1>
      <p>This passkey can sign you in but cannot unlock your keys by itself. Choose a passphrase to unlock them after each sign-in with it.</p>
      {props.error ? (
        <p className="field__error" role="alert">
          {props.error}
        </p>
      ) : null}
      <div className="field">
        <label htmlFor="passphrase" className="field__label">
          Unlock passphrase
        </label>
        <input id="passphrase" name="passphrase" type="password" autoComplete="new-password" minLength={12} required />
      </div>
      <div className="field">
        <label htmlFor="confirm" className="field__label">
          The same passphrase again
        </label>
        <input id="confirm" name="confirm" type="password" autoComplete="new-password" required />
      </div>
      <button type="submit" className="button" disabled={props.busy}>
        {props.busy ? 'Wrapping your key…' : 'Continue'}
      </button>
    </form>
  )
}
