import { useState, type FormEvent, type ReactNode } from 'react'
import { PassphraseStep as PassphraseForm } from './passkey-passphrase'
import { tailMatches } from '#common/code-check'
import { useT } from '~/ui/i18n'
import { ErrorSummary, Field, fieldAria, useSay } from '~/ui/fields'
import { said } from '#common/i18n/message'
import { GroupedCode } from '~/ui/grouped-code'

/**
 * The enrolment steps the first admin and an invitee share: choosing an unlock passphrase when
 * the passkey has no PRF (the same form as adding a passkey), and keeping the recovery key (shown
 * once, confirmed by retyping its end). Each step keeps its own busy flag and error.
 */
export function PassphraseStep(props: { onPassphrase: (p: string) => Promise<void> }) {
  const { busy, error, run } = useBusy()
  return <PassphraseForm busy={busy} error={error} onPassphrase={(p) => run(() => props.onPassphrase(p))} />
}

/** `onKept` posts the enrolment; a refusal is shown here and the step can be tried again. */
export function RecoveryStep(props: { code: string; finish: string; onKept: () => Promise<void>; children?: ReactNode }) {
  const t = useT()
  const { busy, error, run } = useBusy()
  const [mismatch, setMismatch] = useState<string>()
  const groups = props.code.split('-')
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault()
    const typed = String(new FormData(e.currentTarget).get('lastGroup') ?? '')
    if (!tailMatches(props.code, typed, groups.slice(-2).join('').length)) return setMismatch(t('enrol.recoveryStep.mismatch'))
    setMismatch(undefined)
    run(props.onKept)
  }
  return (
    <form className="narrow" onSubmit={submit} noValidate>
      <h1>{t('enrol.recoveryStep.heading')}</h1>
      <ErrorSummary errors={{ lastGroup: mismatch }} />
      {props.children}
      <p>{t('enrol.recoveryStep.body')}</p>
      <GroupedCode code={props.code} kind="recovery" />
      <div className="actions no-print">
        <button type="button" className="button button--secondary" onClick={() => window.print()}>
          {t('enrol.recoveryStep.print')}
        </button>
      </div>
      {error ? (
        <p className="field__error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="no-print">
        <Field id="lastGroup" label={t('enrol.recoveryStep.confirm')} error={mismatch}>
          <input
            id="lastGroup"
            name="lastGroup"
            className="input--short"
            autoComplete="off"
            spellCheck={false}
            required
            {...fieldAria('lastGroup', false, mismatch)}
          />
        </Field>
      </div>
      <button type="submit" className="button no-print" disabled={busy}>
        {busy ? t('enrol.saving') : props.finish}
      </button>
    </form>
  )
}

/** A step's own busy flag and error: work that throws shows its message and re-enables the form. */
function useBusy() {
  const say = useSay()
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string>()
  const run = (work: () => Promise<void>) => {
    setBusy(true)
    setError(undefined)
    work().then(
      () => setBusy(false),
      (err: unknown) => {
        setError(say(said(err)))
        setBusy(false)
      },
    )
  }
  return { busy, error, run }
}
