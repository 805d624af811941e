import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useNavigate } from '@remix-run/react'
import { useEffect, useState } from 'react'
import { Trans } from 'react-i18next'
import { PassphraseStep, RecoveryStep } from '~/review/enrol-steps'
import { callApi } from '~/ui/api.client'
import { prepareReviewer, type Unlock } from '~/review/enrol.client'
import { unlock, type KeyringPayload } from '~/review/keyring.client'
import { passkeyError } from '~/review/passkey-errors'
import { createPasskey } from '~/review/passkeys.client'
import { metaT, useLangHref, useT } from '~/ui/i18n'
import { pageMessages } from '~/ui/i18n.server'
import { said, sayWith, type Message } from '#common/i18n/message'

export const loader = (args: LoaderFunctionArgs) => pageMessages(args, ['enrol'])

export const meta: MetaFunction = ({ matches }) => {
  const t = metaT(matches)
  return [{ title: t('enrol.invite.title') }]
}

type Invite = { displayName: string; role: 'admin' | 'reviewer'; expiresAt: string; inboxes: string[] }
type Registered = { ceremonyId: string; registration: unknown }
type Step =
  | { step: 'loading' }
  | { step: 'refused'; error?: Message | string }
  | { step: 'details'; invite: Invite; error?: string }
  | { step: 'passphrase'; reg: Registered; error?: string }
  | { step: 'recovery'; reg: Registered; prepared: Awaited<ReturnType<typeof prepareReviewer>>; error?: string }

/**
 * An invitee's enrolment: passkey, reviewer key and recovery key, all made here. It grants no
 * inbox: access starts when a member approves, after comparing the fingerprint shown on /review.
 */
export default function Invite() {
  const navigate = useNavigate()
  const t = useT()
  const href = useLangHref()
  const [token, setToken] = useState('')
  const [busy, setBusy] = useState(false)
  const [s, setS] = useState<Step>({ step: 'loading' })

  useEffect(() => {
    // The token rides in the #fragment, which browsers never send to a server (as for setup).
    const fromLink = window.location.hash.slice(1)
    setToken(fromLink)
    if (!fromLink) return setS({ step: 'refused' })
    callApi<Invite>('/api/review/invite', { body: { token: fromLink } })
      .then((invite) => setS({ step: 'details', invite }))
      .catch((err: unknown) => setS({ step: 'refused', error: said(err) }))
  }, [])

  const prepare = async (reg: Registered, how: Unlock) => setS({ step: 'recovery', reg, prepared: await prepareReviewer(how) })

  const start = async (invite: Invite) => {
    setBusy(true)
    try {
      const { ceremonyId, options } = await callApi<{ ceremonyId: string; options: Parameters<typeof createPasskey>[0] }>('/api/review/invite/options', {
        body: { token },
      })
      const { registration, prf } = await createPasskey(options)
      const reg = { ceremonyId, registration }
      if (prf) await prepare(reg, { kind: 'prf', prf })
      else setS({ step: 'passphrase', reg })
    } catch (err) {
      setS({ step: 'details', invite, error: passkeyError(err, t) })
    } finally {
      setBusy(false)
    }
  }

  if (s.step === 'loading') return <p className="narrow">{t('enrol.invite.checking')}</p>
  if (s.step === 'refused')
    return (
      <div className="narrow">
        <h1>{t('enrol.invite.heading')}</h1>
        <p className="field__error" role="alert">
          {s.error ? sayWith(t, s.error) : t('enrol.invite.needsLink')}
        </p>
      </div>
    )

  if (s.step === 'details')
    return (
      <div className="narrow">
        <h1>{t('enrol.invite.heading')}</h1>
        <p>
          {s.invite.role === 'admin' ? (
            <Trans i18nKey="enrol.invite.asAdmin" values={{ name: s.invite.displayName }} components={{ strong: <strong /> }} />
          ) : (
            <Trans i18nKey="enrol.invite.asReviewer" values={{ name: s.invite.displayName }} components={{ strong: <strong /> }} />
          )}
        </p>
        <ul>
          {s.invite.inboxes.map((name) => (
            <li key={name}>{name}</li>
          ))}
        </ul>
        <p>{t('enrol.invite.body')}</p>
        {s.error ? (
          <p className="field__error" role="alert">
            {s.error}
          </p>
        ) : null}
        <button type="button" className="button" disabled={busy} onClick={() => void start(s.invite)}>
          {busy ? t('enrol.waiting') : t('enrol.createPasskey')}
        </button>
      </div>
    )

  if (s.step === 'passphrase') return <PassphraseStep onPassphrase={(passphrase) => prepare(s.reg, { kind: 'passphrase', passphrase })} />

  const { prepared } = s
  const finish = async () => {
    const payload = await callApi<KeyringPayload>('/api/review/invite/complete', {
      body: { ceremonyId: s.reg.ceremonyId, registration: s.reg.registration, reviewer: prepared.reviewer },
      cookies: true,
    })
    await unlock(payload, prepared.wrapKey)
    navigate(href('/review'))
  }
  return <RecoveryStep code={prepared.recoveryCode} finish={t('enrol.invite.finish')} onKept={finish} />
}
