import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData, useNavigate, useRevalidator } from '@remix-run/react'
import { useEffect, useState } from 'react'
import { PassphraseStep } from '~/components/passkey-passphrase'
import { callApi } from '~/lib/api.client'
import { loadCrypto } from '~/lib/crypto.client'
import { keyring, lock } from '~/lib/keyring.client'
import { wrapForNewPasskey, type Created, type Options } from '~/lib/new-passkey.client'
import { passkeyError } from '~/lib/passkey-errors'
import { createPasskey } from '~/lib/passkeys.client'
import { requireReviewer } from '~/lib/reviewer-session.server'

export const meta: MetaFunction = () => [{ title: 'Your passkeys · Candour review' }]

export const loader = async ({ request, context }: LoaderFunctionArgs) => {
  const session = requireReviewer(request, context)
  return { passkeys: await context.services.passkeys.list(session) }
}

// Reviewer-side times may be precise (they are not reporter data); UTC so server and browser agree.
const when = (iso: string, withTime: boolean) =>
  new Date(iso).toLocaleString('en-GB', {
    timeZone: 'UTC',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    ...(withTime ? { hour: '2-digit', minute: '2-digit', timeZoneName: 'short' } : {}),
  })

/** Where the passkey lives, as its authenticator said at registration; nothing about the network. */
function kind(transports: string[]): string {
  if (transports.includes('internal')) return 'Built into a computer or phone'
  if (transports.includes('hybrid')) return 'On a phone, used nearby'
  if (transports.some((t) => t === 'usb' || t === 'nfc' || t === 'ble')) return 'A security key'
  return 'Passkey'
}

type State = { busy?: boolean; error?: string; done?: string; passphraseFor?: { ceremonyId: string; created: Created } }

/** The reviewer's passkeys: when each was added and last used, how it unlocks; add and remove. */
export default function Settings() {
  const { passkeys } = useLoaderData<typeof loader>()
  const navigate = useNavigate()
  const revalidator = useRevalidator()
  const [unlocked, setUnlocked] = useState<boolean | null>(null)
  const [s, setS] = useState<State>({})
  // Keys live in page memory only, so whether they are unlocked is known after hydration.
  useEffect(() => setUnlocked(keyring() !== null), [])

  const save = async (ceremonyId: string, created: Created, how: Parameters<typeof wrapForNewPasskey>[1]) => {
    const k = keyring()
    if (!k) return setS({ error: 'Your keys were locked meanwhile. Sign in again, then add the passkey.' })
    const { wrap, wrapKey } = await wrapForNewPasskey(k.reviewerKey.privateKey, how)
    ;(await loadCrypto()).wipe(wrapKey)
    await callApi('/api/review/passkeys/add', { body: { ceremonyId, registration: created.registration, ...wrap }, cookies: true })
    setS({ done: 'Passkey added. You can now sign in with it.' })
    revalidator.revalidate()
  }

  const add = async () => {
    setS({ busy: true })
    try {
      const { ceremonyId, options } = await callApi<{ ceremonyId: string; options: Options }>('/api/review/passkeys/options', { body: {}, cookies: true })
      const created = await createPasskey(options)
      if (created.prf) await save(ceremonyId, created, { kind: 'prf', prf: created.prf })
      else setS({ passphraseFor: { ceremonyId, created } })
    } catch (err) {
      setS({ error: passkeyError(err) })
    }
  }

  const remove = async (id: string) => {
    setS({ busy: true })
    try {
      const { signedOut } = await callApi<{ signedOut: boolean }>('/api/review/passkeys/remove', { body: { id }, cookies: true })
      if (signedOut) {
        await lock()
        return navigate('/review/sign-in')
      }
      setS({ done: 'Passkey removed. It can no longer sign in here.' })
      revalidator.revalidate()
    } catch (err) {
      setS({ error: (err as Error).message })
    }
  }

  const p = s.passphraseFor
  if (p)
    return (
      <PassphraseStep
        busy={Boolean(s.busy)}
        error={s.error}
        onError={(error) => setS({ passphraseFor: p, error })}
        onPassphrase={(passphrase) => {
          setS({ passphraseFor: p, busy: true })
          save(p.ceremonyId, p.created, { kind: 'passphrase', passphrase }).catch((err) => setS({ error: passkeyError(err) }))
        }}
      />
    )

  return (
    <>
      <h1>Your passkeys</h1>
      <p>Each passkey signs you in and unlocks your keys. Keep at least two, on different devices, so losing one does not lock you out.</p>
      {s.done ? <p className="notice" role="status">{s.done}</p> : null}
      {s.error ? <p className="field__error" role="alert">{s.error}</p> : null}
      <ul className="card-list">
        {passkeys.map((k, i) => (
          <li key={k.id} className="card" data-passkey={k.id}>
            <h2>
              Passkey {i + 1}: {kind(k.transports)}
              {k.current ? ' (used for this session)' : ''}
            </h2>
            <p>
              Added {when(k.createdAt, false)} · Last used {k.lastUsedAt ? when(k.lastUsedAt, true) : 'never'} · Unlocks your keys{' '}
              {k.unlock === 'prf' ? 'by itself (passkey PRF)' : 'with a passphrase'}
            </p>
            <button type="button" className="button button--secondary button--small" disabled={s.busy} onClick={() => void remove(k.id)}>
              Remove passkey {i + 1}
            </button>
          </li>
        ))}
      </ul>
      <h2>Add a passkey</h2>
      {unlocked === false ? (
        <div className="callout" role="status">
          <p>Your keys are locked in this tab, and a new passkey needs them to wrap your key.</p>
          <Link to="/review/sign-in" className="button">Unlock with your passkey</Link>
        </div>
      ) : (
        <button type="button" className="button" onClick={() => void add()} disabled={s.busy || !unlocked}>
          {s.busy ? 'Waiting for your passkey…' : 'Add a passkey'}
        </button>
      )}
      <p className="hint">Times are in UTC. Candour keeps no IP address or browser details for passkeys.</p>
    </>
  )
}
