import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData, useNavigate, useRevalidator } from '@remix-run/react'
import { useEffect, useState, type FormEvent } from 'react'
import { PassphraseStep } from '~/review/passkey-passphrase'
import { callApi } from '~/ui/api.client'
import { loadCrypto } from '~/ui/crypto.client'
import { keyring, lock } from '~/review/keyring.client'
import { wrapForNewPasskey, type Created, type Options } from '~/review/new-passkey.client'
import { passkeyError } from '~/review/passkey-errors'
import { createPasskey } from '~/review/passkeys.client'
import { useHydrated } from '~/ui/hydrated'
import { requireReviewer } from '~/review/reviewer-session.server'

export const meta: MetaFunction = () => [{ title: 'Your passkeys · Candour review' }]

export const loader = async ({ request, context }: LoaderFunctionArgs) => {
  const session = requireReviewer(request, context)
  // The digest settings say only whether SMTP is configured, never its address (it holds a password).
  return { passkeys: await context.services.passkeys.list(session), digest: await context.services.digests.get(session.reviewerId) }
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
  const { passkeys, digest } = useLoaderData<typeof loader>()
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
      {s.done ? (
        <p className="notice" role="status">
          {s.done}
        </p>
      ) : null}
      {s.error ? (
        <p className="field__error" role="alert">
          {s.error}
        </p>
      ) : null}
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
          <Link to="/review/sign-in" className="button">
            Unlock with your passkey
          </Link>
        </div>
      ) : (
        <button type="button" className="button" onClick={() => void add()} disabled={s.busy || !unlocked}>
          {s.busy ? 'Waiting for your passkey…' : 'Add a passkey'}
        </button>
      )}
      <p className="hint">Times are in UTC. Candour keeps no IP address or browser details for passkeys.</p>
      <DigestSettings digest={digest} />
    </>
  )
}

type Digest = { enabled: boolean; email: string | null; every: string | null; lastSentAt: string | null }

const EVERY = [
  ['hourly', 'At most once an hour'],
  ['daily', 'At most once a day'],
  ['weekly', 'At most once a week'],
] as const

function digestState(d: Digest): string {
  if (!d.email) return 'The digest is off.'
  const every = EVERY.find(([id]) => id === d.every)?.[1].toLowerCase() ?? ''
  return `On: sent to ${d.email}, ${every}. ${d.lastSentAt ? `Last sent ${when(d.lastSentAt, true)}.` : 'None sent yet.'}`
}

/** The optional, content-free email digest (ADR 0016): the reviewer's own address and how often. */
function DigestSettings({ digest }: { digest: Digest }) {
  const hydrated = useHydrated()
  const revalidator = useRevalidator()
  const [s, setS] = useState<{ busy?: boolean; error?: string; done?: string }>({})

  const send = async (body: { email: string | null; every?: string }, done: string) => {
    setS({ busy: true })
    try {
      await callApi('/api/review/digest', { body, cookies: true })
      setS({ done })
      revalidator.revalidate()
    } catch (err) {
      setS({ error: (err as Error).message })
    }
  }
  const save = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault()
    const f = new FormData(e.currentTarget)
    const every = String(f.get('digestEvery') ?? '')
    void send({ email: String(f.get('digestEmail') ?? '').trim(), every }, 'Email digest saved. It comes only when there is something new to count.')
  }
  const turnOff = (
    <button
      type="button"
      className="button button--secondary"
      disabled={s.busy || !hydrated}
      onClick={() => void send({ email: null }, 'Email digest turned off. Your address has been deleted from the server.')}
    >
      Turn off email digest
    </button>
  )

  return (
    <section aria-labelledby="digest-title" data-digest>
      <h2 id="digest-title">Email digest</h2>
      <p>
        An optional email that says how many reports in your inboxes need you, for example &ldquo;3 new reports, 2 reports with new messages in Professional
        Standards&rdquo;. It carries counts only: never report content, pseudonyms, categories or anything a reporter wrote. Reporters are never emailed. Counts
        cover reports and messages up to the end of yesterday (UTC), so the time an email arrives never tells anyone when a report arrived.
      </p>
      {s.done ? (
        <p className="notice" role="status">
          {s.done}
        </p>
      ) : null}
      {s.error ? (
        <p className="field__error" role="alert">
          {s.error}
        </p>
      ) : null}
      {!digest.enabled ? (
        <div className="callout" role="status">
          <p>Digests are off on this server: it has no email (SMTP) settings. Your administrator can turn them on.</p>
          {digest.email ? turnOff : null}
        </div>
      ) : (
        <form method="post" onSubmit={save} className="narrow" key={`${digest.email}:${digest.every}`}>
          <p data-digest-state>{digestState(digest)}</p>
          <div className="field">
            <label htmlFor="digestEmail" className="field__label">
              Your work email address
            </label>
            <div className="hint" id="digestEmail-hint">
              Stored on the server in plain text, because the server sends the digest. Other reviewers cannot see it; whoever runs the server can.
            </div>
            <input
              id="digestEmail"
              name="digestEmail"
              type="email"
              autoComplete="email"
              maxLength={254}
              required
              aria-describedby="digestEmail-hint"
              defaultValue={digest.email ?? ''}
            />
          </div>
          <fieldset className="field">
            <legend className="field__label">How often</legend>
            <div className="hint">Never more often than this, and only when the counts have changed.</div>
            {EVERY.map(([id, label]) => (
              <label key={id} className="choice">
                <input type="radio" name="digestEvery" value={id} defaultChecked={(digest.every ?? 'daily') === id} /> <span>{label}</span>
              </label>
            ))}
          </fieldset>
          <div className="actions">
            <button type="submit" className="button" disabled={s.busy || !hydrated}>
              {s.busy ? 'Saving…' : 'Save email digest'}
            </button>
            {digest.email ? turnOff : null}
          </div>
        </form>
      )}
    </section>
  )
}
