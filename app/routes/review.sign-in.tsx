import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useNavigate, useSearchParams } from '@remix-run/react'
import { useState, type FormEvent } from 'react'
import { callApi } from '~/ui/api.client'
import { loadCrypto } from '~/ui/crypto.client'
import { unlock, type KeyringPayload } from '~/review/keyring.client'
import { getPasskey } from '~/review/passkeys.client'
import { passkeyError } from '~/review/passkey-errors'
import { ErrorSummary, Field, fieldAria } from '~/ui/fields'
import { LangLink, metaT, useLangHref, useT } from '~/ui/i18n'
import { pageMessages } from '~/ui/i18n.server'

export const loader = (args: LoaderFunctionArgs) => pageMessages(args, ['enrol'])

export const meta: MetaFunction = ({ matches }) => {
  const t = metaT(matches)
  return [{ title: t('enrol.signIn.title') }]
}

export default function SignIn() {
  const navigate = useNavigate()
  const t = useT()
  const href = useLangHref()
  const [params] = useSearchParams()
  const [state, setState] = useState<{ busy?: boolean; error?: string; passphraseError?: string; locked?: KeyringPayload }>({})

  const signIn = async () => {
    setState({ busy: true })
    try {
      const { ceremonyId, options } = await callApi<{ ceremonyId: string; options: Parameters<typeof getPasskey>[0] }>('/api/review/sign-in/options', {
        body: {},
        cookies: true,
      })
      const { assertion, prf } = await getPasskey(options)
      const payload = await callApi<KeyringPayload>('/api/review/sign-in', { body: { ceremonyId, assertion }, cookies: true })
      if (payload.passkey.unlock === 'passphrase') return setState({ locked: payload })
      if (!prf) throw new Error(t('enrol.signIn.noPrf'))
      const c = await loadCrypto()
      await unlock(payload, c.wrapKeyFromPrf(prf))
      navigate(href('/review'))
    } catch (err) {
      setState({ error: passkeyError(err, t) })
    }
  }

  const withPassphrase = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault()
    const payload = state.locked!
    const passphrase = String(new FormData(e.currentTarget).get('passphrase') ?? '')
    setState({ locked: payload, busy: true })
    try {
      const c = await loadCrypto()
      await unlock(payload, await c.wrapKeyFromPassphrase(passphrase, c.fromB64(payload.passkey.passphraseSalt!)))
      navigate(href('/review'))
    } catch {
      setState({ locked: payload, passphraseError: t('enrol.signIn.wrongPassphrase') })
    }
  }

  const wrong = state.passphraseError
  if (state.locked)
    return (
      <form onSubmit={withPassphrase} className="narrow">
        <h1>{t('enrol.signIn.unlockHeading')}</h1>
        <ErrorSummary errors={{ passphrase: wrong }} />
        <p>{t('enrol.signIn.unlockBody')}</p>
        <Field id="passphrase" label={t('enrol.passphrase.label')} error={wrong}>
          <input id="passphrase" name="passphrase" type="password" autoComplete="current-password" required {...fieldAria('passphrase', false, wrong)} />
        </Field>
        <button type="submit" className="button" disabled={state.busy}>
          {state.busy ? t('enrol.signIn.unlocking') : t('enrol.signIn.unlock')}
        </button>
      </form>
    )

  return (
    <div className="narrow">
      <h1>{t('enrol.signIn.heading')}</h1>
      {params.get('signed-out') ? (
        <p className="notice" role="status">
          {t('enrol.signIn.signedOut')}
        </p>
      ) : null}
      {params.get('timed-out') ? (
        <p className="notice" role="status">
          {t('enrol.signIn.timedOut')}
        </p>
      ) : null}
      <p>{t('enrol.signIn.body')}</p>
      {state.error ? (
        <p className="field__error" role="alert">
          {state.error}
        </p>
      ) : null}
      <button type="button" className="button" onClick={() => void signIn()} disabled={state.busy}>
        {state.busy ? t('enrol.waiting') : t('enrol.signIn.button')}
      </button>
      <p>
        <LangLink to="/review/recover">{t('enrol.signIn.recover')}</LangLink>
      </p>
    </div>
  )
}
