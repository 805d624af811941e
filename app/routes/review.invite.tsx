import type { MetaFunction } from '@remix-run/node'
import { useNavigate } from '@remix-run/react'
import { useEffect, useState } from 'react'
import { PassphraseStep, RecoveryStep } from '~/review/enrol-steps'
import { callApi } from '~/ui/api.client'
import { prepareReviewer, type Unlock } from '~/review/enrol.client'
import { unlock, type KeyringPayload } from '~/review/keyring.client'
import { passkeyError } from '~/review/passkey-errors'
import { createPasskey } from '~/review/passkeys.client'

export const meta: MetaFunction = () => [{ title: 'Join Candour review' }]

type Invite = { displayName: string; role: 'admin' | 'reviewer'; expiresAt: string; inboxes: string[] }
type Registered = { ceremonyId: string; registration: unknown }
type Step =
  | { step: 'loading' }
  | { step: 'refused'; error: string }
  | { step: 'details'; invite: Invite; error?: string }
  | { step: 'passphrase'; reg: Registered; error?: string }
  | { step: 'recovery'; reg: Registered; prepared: Awaited<ReturnType<typeof prepareReviewer>>; error?: string }

/**
 * An invitee's enrolment: passkey, reviewer key and recovery key, all made here. It grants no
 * inbox: access starts when a member approves, after comparing the fingerprint shown on /review.
 */
export default function Invite() {
  const navigate = useNavigate()
  const [token, setToken] = useState('')
  const [busy, setBusy] = useState(false)
  const [s, setS] = useState<Step>({ step: 'loading' })

  useEffect(() => {
    // The token rides in the #fragment, which browsers never send to a server (as for setup).
    const t = window.location.hash.slice(1)
    setToken(t)
    if (!t) return setS({ step: 'refused', error: 'This page needs the invitation link an admin gave you, including everything after the #.' })
    callApi<Invite>('/api/review/invite', { body: { token: t } })
      .then((invite) => setS({ step: 'details', invite }))
      .catch((err: Error) => setS({ step: 'refused', error: err.message }))
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
      setS({ step: 'details', invite, error: passkeyError(err) })
    } finally {
      setBusy(false)
    }
  }

  if (s.step === 'loading') return <p className="narrow">Checking your invitation…</p>
  if (s.step === 'refused')
    return (
      <div className="narrow">
        <h1>Join Candour review</h1>
        <p className="field__error" role="alert">
          {s.error}
        </p>
      </div>
    )

  if (s.step === 'details')
    return (
      <div className="narrow">
        <h1>Join Candour review</h1>
        <p>
          You are invited as <strong>{s.invite.displayName}</strong>, {s.invite.role === 'admin' ? 'an admin' : 'a reviewer'}, for:
        </p>
        <ul>
          {s.invite.inboxes.map((name) => (
            <li key={name}>{name}</li>
          ))}
        </ul>
        <p>
          Your passkey signs you in and unlocks your keys in this browser only. A member of each inbox then approves you, after you both compare a short
          fingerprint.
        </p>
        {s.error ? (
          <p className="field__error" role="alert">
            {s.error}
          </p>
        ) : null}
        <button type="button" className="button" disabled={busy} onClick={() => void start(s.invite)}>
          {busy ? 'Waiting for your passkey…' : 'Create your passkey'}
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
    navigate('/review')
  }
  return <RecoveryStep code={prepared.recoveryCode} finish="I have kept it: finish enrolling" onKept={finish} />
}
