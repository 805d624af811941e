import { useState, type FormEvent, type ReactNode } from 'react'
import { PassphraseStep as PassphraseForm } from './passkey-passphrase'
import { tailMatches } from '#common/code-check'

/**
 * The enrolment steps the first admin and an invitee share: choosing an unlock passphrase when
 * the passkey has no PRF (the same form as adding a passkey), and keeping the recovery key (shown
 * once, confirmed by retyping its end). Each step keeps its own busy flag and error.
 */
export function PassphraseStep(props: { onPassphrase: (p: string) => Promise<void> }) {
  const { busy, error, setError, run } = useBusy()
  return <PassphraseForm busy={busy} error={error} onError={setError} onPassphrase={(p) => run(() => props.onPassphrase(p))} />
}

/** `onKept` posts the enrolment; a refusal is shown here and the step can be tried again. */
export function RecoveryStep(props: { code: string; finish: string; onKept: () => Promise<void>; children?: ReactNode }) {
  const { busy, error, setError, run } = useBusy()
  const groups = props.code.split('-')
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault()
    const typed = String(new FormData(e.currentTarget).get('lastGroup') ?? '')
    if (!tailMatches(props.code, typed, groups.slice(-2).join('').length)) return setError('That does not match the end of your recovery key.')
    run(props.onKept)
  }
  return (
    <form className="narrow" onSubmit={submit}>
      <h1>Your recovery key</h1>
      {props.children}
      <p>If you lose every passkey, this key lets you enrol a new one. It is shown once. Print it or write it down and keep it locked away.</p>
      <p className="receipt__code" data-recovery={props.code}>
        {groups.map((g, i) => (
          <span key={i} className="receipt__group">
            {g}
          </span>
        ))}
      </p>
      <div className="actions no-print">
        <button type="button" className="button button--secondary" onClick={() => window.print()}>
          Print
        </button>
      </div>
      {error ? (
        <p className="field__error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="field no-print">
        <label htmlFor="lastGroup" className="field__label">
          Type the last two groups to confirm you have it
        </label>
        <input id="lastGroup" name="lastGroup" className="input--short" autoComplete="off" spellCheck={false} required />
      </div>
      <button type="submit" className="button no-print" disabled={busy}>
        {busy ? 'Saving…' : props.finish}
      </button>
    </form>
  )
}

/** A step's own busy flag and error: work that throws shows its message and re-enables the form. */
function useBusy() {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string>()
  const run = (work: () => Promise<void>) => {
    setBusy(true)
    setError(undefined)
    work().then(
      () => setBusy(false),
      (err: Error) => {
        setError(err.message)
        setBusy(false)
      },
    )
  }
  return { busy, error, setError, run }
}
