import type { MetaFunction } from '@remix-run/node'
import { Link, useNavigate } from '@remix-run/react'
import { useState, type FormEvent } from 'react'
import { PassphraseStep, RecoveryStep } from '~/review/enrol-steps'
import { callApi } from '~/ui/api.client'
import { loadCrypto } from '~/ui/crypto.client'
import { newRecoveryKey, type Unlock } from '~/review/enrol.client'
import { unlock, type KeyringPayload } from '~/review/keyring.client'
import { wrapForNewPasskey, type Created, type Options } from '~/review/new-passkey.client'
import { passkeyError } from '~/review/passkey-errors'
import { createPasskey } from '~/review/passkeys.client'

export const meta: MetaFunction = () => [{ title: 'Recover access · Candour review' }]

type Found = { ceremonyId: string; options: Options; boxPk: string; recoveryWrap: string; challenge: string }
type Proven = { ceremonyId: string; reviewerSk: Uint8Array; answer: string; created: Created }
type Ready = { post: () => Promise<void>; code: string }

/**
 * Lost every passkey: the recovery key names the reviewer (by a lookup id derived from it),
 * unwraps R.sk here, proves it by opening the server's sealed challenge, and a new passkey is
 * enrolled wrapping the same R.sk. The used recovery key is replaced by a new one, shown once and
 * confirmed as at enrolment, and stops working when the new passkey is saved.
 */
export default function Recover() {
  const navigate = useNavigate()
  const [s, setS] = useState<{ busy?: boolean; error?: string; proven?: Proven; ready?: Ready }>({})

  // Everything is wrapped before the new recovery key is shown; confirming it sends the lot.
  const prepare = async (p: Proven, how: Unlock) => {
    const { wrap, wrapKey } = await wrapForNewPasskey(p.reviewerSk, how)
    const { code, ...recovery } = await newRecoveryKey(p.reviewerSk)
    ;(await loadCrypto()).wipe(p.reviewerSk)
    const post = async () => {
      const payload = await callApi<KeyringPayload>('/api/review/recover/complete', {
        body: { ceremonyId: p.ceremonyId, answer: p.answer, registration: p.created.registration, ...wrap, ...recovery },
        cookies: true,
      })
      await unlock(payload, wrapKey)
      navigate('/review')
    }
    setS({ ready: { post, code } })
  }

  const start = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault()
    const typed = String(new FormData(e.currentTarget).get('code') ?? '') // read before any await: React clears currentTarget
    const c = await loadCrypto()
    const parsed = c.parseRecoveryCode(typed)
    if (!parsed.ok) return setS({ error: parsed.message })
    setS({ busy: true })
    try {
      const found = await callApi<Found>('/api/review/recover/options', { body: { lookupId: c.recoveryLookupId(parsed.normalised) }, cookies: true })
      let reviewerSk: Uint8Array
      try {
        reviewerSk = c.unwrapSecret(found.recoveryWrap, c.wrapKeyFromRecovery(parsed.normalised))
      } catch {
        return setS({ error: 'This recovery key does not unlock your keys. Check it against what you wrote down.' })
      }
      const answer = c.toB64(c.openSealedSecret(found.challenge, { publicKey: c.fromB64(found.boxPk), privateKey: reviewerSk }))
      const created = await createPasskey(found.options)
      const proven = { ceremonyId: found.ceremonyId, reviewerSk, answer, created }
      if (created.prf) await prepare(proven, { kind: 'prf', prf: created.prf })
      else setS({ proven })
    } catch (err) {
      setS({ error: passkeyError(err) })
    }
  }

  if (s.ready)
    return (
      <RecoveryStep code={s.ready.code} finish="Save and sign in" onKept={s.ready.post}>
        <p>
          <strong>This is a new recovery key.</strong> The one you just used stops working when you save, in case it was seen while you typed it.
        </p>
      </RecoveryStep>
    )

  const p = s.proven
  if (p) return <PassphraseStep onPassphrase={(passphrase) => prepare(p, { kind: 'passphrase', passphrase })} />

  return (
    <form onSubmit={start} className="narrow">
      <h1>Recover access</h1>
      <p>
        Lost every passkey? Type the recovery key you kept when you enrolled. It unlocks your keys in this tab, then you create a new passkey. You then get a
        new recovery key to keep, and this one stops working.
      </p>
      {s.error ? (
        <p className="field__error" role="alert">
          {s.error}
        </p>
      ) : null}
      <div className="field">
        <label htmlFor="code" className="field__label">
          Recovery key
        </label>
        <div className="hint" id="code-hint">
          Groups of four letters and numbers; dashes and spaces do not matter.
        </div>
        <input id="code" name="code" className="input--code" autoComplete="off" spellCheck={false} required aria-describedby="code-hint" />
      </div>
      <button type="submit" className="button" disabled={s.busy}>
        {s.busy ? 'Waiting for your passkey…' : 'Recover and create a passkey'}
      </button>
      <p>
        <Link to="/review/sign-in">Back to sign-in</Link>
      </p>
    </form>
  )
}
