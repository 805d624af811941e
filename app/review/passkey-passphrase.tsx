import { useState, type FormEvent } from 'react'
import { ErrorSummary, Field, fieldAria } from '~/ui/fields'
import { useT } from '~/ui/i18n'

type Problems = { passphrase?: string; confirm?: string }

/**
 * The unlock passphrase for a passkey without PRF, asked when a reviewer adds or recovers a
 * passkey. (The setup page asks the same; once its own step component lands, share one.) A
 * passphrase too short or not matched is the field's error, linked from the summary; `error` is
 * what went wrong after it was given.
 */
export function PassphraseStep(props: { busy: boolean; error?: string; onPassphrase: (p: string) => void }) {
  const t = useT()
  const [problems, setProblems] = useState<Problems>({})
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault()
    const f = new FormData(e.currentTarget)
    const pass = String(f.get('passphrase') ?? '')
    if (pass.length < 12) return setProblems({ passphrase: t('enrol.passphrase.tooShort') })
    if (pass !== f.get('confirm')) return setProblems({ confirm: t('enrol.passphrase.differ') })
    setProblems({})
    props.onPassphrase(pass)
  }
  return (
    // Our own messages, in the summary and at the field, rather than the browser's bubbles.
    <form className="narrow" onSubmit={submit} noValidate>
      <h1>{t('enrol.passphrase.heading')}</h1>
      <ErrorSummary errors={problems} />
      <p>{t('enrol.passphrase.body')}</p>
      {props.error ? (
        <p className="field__error" role="alert">
          {props.error}
        </p>
      ) : null}
      <Field id="passphrase" label={t('enrol.passphrase.label')} error={problems.passphrase}>
        <input
          id="passphrase"
          name="passphrase"
          type="password"
          autoComplete="new-password"
          required
          {...fieldAria('passphrase', false, problems.passphrase)}
        />
      </Field>
      <Field id="confirm" label={t('enrol.passphrase.confirm')} error={problems.confirm}>
        <input id="confirm" name="confirm" type="password" autoComplete="new-password" required {...fieldAria('confirm', false, problems.confirm)} />
      </Field>
      <button type="submit" className="button" disabled={props.busy}>
        {props.busy ? t('enrol.passphrase.busy') : t('enrol.passphrase.continue')}
      </button>
    </form>
  )
}
