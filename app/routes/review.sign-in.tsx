import type { MetaFunction } from '@remix-run/node'
import { Link, useNavigate, useSearchParams } from '@remix-run/react'
import { useState, type FormEvent } from 'react'
import { callApi } from '~/ui/api.client'
import { loadCrypto } from '~/ui/crypto.client'
import { unlock, type KeyringPayload } from '~/review/keyring.client'
import { getPasskey } from '~/review/passkeys.client'
import { passkeyError } from '~/review/passkey-errors'

export const meta: MetaFunction = () => [{ title: 'Sign in · Candour review' }]

export default function SignIn() {
  const navigate = useNavigate()
  const [params] = useSearchParams()
  const [state, setState] = useState<{ busy?: boolean; error?: string; locked?: KeyringPayload }>({})

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
      if (!prf) throw new Error('This passkey did not give the key that unlocks your keys. Try your other passkey or your recovery key.')
      const c = await loadCrypto()
      await unlock(payload, c.wrapKeyFromPrf(prf))
      navigate('/review')
    } catch (err) {
      setState({ error: passkeyError(err) })
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
      navigate('/review')
    } catch {
      setState({ locked: payload, error: 'That passphrase does not unlock your keys. Check it and try again.' })
    }
  }

  if (state.locked)
    return (
      <form onSubmit={withPassphrase} className="narrow">
        <h1>Unlock your keys</h1>
        <p>This passkey cannot unlock keys by itself, so enter the unlock passphrase you chose for it.</p>
        {state.error ? (
          <p className="field__error" role="alert">
            {state.error}
          </p>
        ) : null}
        <div className="field">
          <label htmlFor="passphrase" className="field__label">
            Unlock passphrase
          </label>
          <input id="passphrase" name="passphrase" type="password" autoComplete="current-password" required />
        </div>
        <button type="submit" className="button" disabled={state.busy}>
          {state.busy ? 'Unlocking…' : 'Unlock'}
        </button>
      </form>
    )

  return (
    <div className="narrow">
      <h1>Sign in</h1>
      {params.get('signed-out') ? (
        <p className="notice" role="status">
          You have signed out. Your keys were removed from this tab.
        </p>
      ) : null}
      {params.get('timed-out') ? (
        <p className="notice" role="status">
          Your session ended (15 minutes away, or 8 hours in all), so your keys were removed from this tab.
        </p>
      ) : null}
      <p>Use your passkey. One touch signs you in and unlocks your keys in this browser tab.</p>
      {state.error ? (
        <p className="field__error" role="alert">
          {state.error}
        </p>
      ) : null}
      <button type="button" className="button" onClick={() => void signIn()} disabled={state.busy}>
        {state.busy ? 'Waiting for your passkey…' : 'Sign in with a passkey'}
      </button>
      <p>
        <Link to="/review/recover">Lost all your passkeys? Use your recovery key</Link>
      </p>
    </div>
  )
}
