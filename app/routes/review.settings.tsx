import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData, useNavigate, useRevalidator } from '@remix-run/react'
import { useEffect, useState, type FormEvent } from 'react'
import { PassphraseStep } from '~/review/passkey-passphrase'
import { callApi } from '~/ui/api.client'
import { loadCrypto } from '~/ui/crypto.client'
import { keyring, lock } from '~/review/keyring.client'
import { wrapForNewPasskey, type Created, type Options } from '~/review/new-passkey.client'
import { passkeyError } from '~/review/passkey-errors'
import { createPasskey } from '~/review/passkeys.client'
import type { Translate } from '#common/i18n/translate'
import { useHydrated } from '~/ui/hydrated'
import { LangLink, metaT, useLangHref, useT } from '~/ui/i18n'
import { pageMessages } from '~/ui/i18n.server'
import { requireReviewer } from '~/review/reviewer-session.server'
import { said, sayWith } from '#common/i18n/message'

export const meta: MetaFunction = ({ matches }) => {
  const t = metaT(matches)
  return [{ title: t('enrol.settings.title') }]
}

export const loader = async ({ request, context }: LoaderFunctionArgs) => {
  const session = requireReviewer(request, context)
  // The digest settings say only whether SMTP is configured, never its address (it holds a password).
  return {
    passkeys: await context.services.passkeys.list(session),
    digest: await context.services.digests.get(session.reviewerId),
    ...pageMessages({ request, context }, ['enrol']),
  }
}

/**
 * Reviewer-side times may be precise (they are not reporter data). UTC, with the month's name from
 * the catalogue rather than the browser's Intl, which may know no Welsh: server and browser agree.
 */
function when(iso: string, withTime: boolean, t: Translate): string {
  const d = new Date(iso)
  const date = `${d.getUTCDate()} ${t('enrol.months').split(' ')[d.getUTCMonth()]} ${d.getUTCFullYear()}`
  const two = (n: number) => String(n).padStart(2, '0')
  return withTime ? `${date}, ${two(d.getUTCHours())}:${two(d.getUTCMinutes())} UTC` : date
}

/** Where the passkey lives, as its authenticator said at registration; nothing about the network. */
function kind(transports: string[], t: Translate): string {
  if (transports.includes('internal')) return t('enrol.settings.internal')
  if (transports.includes('hybrid')) return t('enrol.settings.hybrid')
  if (transports.some((x) => x === 'usb' || x === 'nfc' || x === 'ble')) return t('enrol.settings.securityKey')
  return t('enrol.settings.passkey')
}

type State = { busy?: boolean; error?: string; done?: string; passphraseFor?: { ceremonyId: string; created: Created } }

/** The reviewer's passkeys: when each was added and last used, how it unlocks; add and remove. */
export default function Settings() {
  const { passkeys, digest } = useLoaderData<typeof loader>()
  const navigate = useNavigate()
  const t = useT()
  const href = useLangHref()
  const revalidator = useRevalidator()
  const [unlocked, setUnlocked] = useState<boolean | null>(null)
  const [s, setS] = useState<State>({})
  // Keys live in page memory only, so whether they are unlocked is known after hydration.
  useEffect(() => setUnlocked(keyring() !== null), [])

  const save = async (ceremonyId: string, created: Created, how: Parameters<typeof wrapForNewPasskey>[1]) => {
    const k = keyring()
    if (!k) return setS({ error: t('enrol.settings.lockedMeanwhile') })
    const { wrap, wrapKey } = await wrapForNewPasskey(k.reviewerKey.privateKey, how)
    ;(await loadCrypto()).wipe(wrapKey)
    await callApi('/api/review/passkeys/add', { body: { ceremonyId, registration: created.registration, ...wrap }, cookies: true })
    setS({ done: t('enrol.settings.added') })
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
      setS({ error: passkeyError(err, t) })
    }
  }

  const remove = async (id: string) => {
    setS({ busy: true })
    try {
      const { signedOut } = await callApi<{ signedOut: boolean }>('/api/review/passkeys/remove', { body: { id }, cookies: true })
      if (signedOut) {
        await lock()
        return navigate(href('/review/sign-in'))
      }
      setS({ done: t('enrol.settings.removed') })
      revalidator.revalidate()
    } catch (err) {
      setS({ error: sayWith(t, said(err)) })
    }
  }

  const p = s.passphraseFor
  if (p)
    return (
      <PassphraseStep
        busy={Boolean(s.busy)}
        error={s.error}
        onPassphrase={(passphrase) => {
          setS({ passphraseFor: p, busy: true })
          save(p.ceremonyId, p.created, { kind: 'passphrase', passphrase }).catch((err) => setS({ error: passkeyError(err, t) }))
        }}
      />
    )

  return (
    <>
      <h1>{t('enrol.settings.heading')}</h1>
      <p>{t('enrol.settings.body')}</p>
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
              {k.current
                ? t('enrol.settings.current', { n: i + 1, kind: kind(k.transports, t) })
                : t('enrol.settings.name', { n: i + 1, kind: kind(k.transports, t) })}
            </h2>
            <p>
              {k.lastUsedAt
                ? t('enrol.settings.used', { added: when(k.createdAt, false, t), used: when(k.lastUsedAt, true, t) })
                : t('enrol.settings.usedNever', { added: when(k.createdAt, false, t) })}
              {' · '}
              {k.unlock === 'prf' ? t('enrol.settings.unlocksPrf') : t('enrol.settings.unlocksPassphrase')}
            </p>
            <button type="button" className="button button--secondary button--small" disabled={s.busy} onClick={() => void remove(k.id)}>
              {t('enrol.settings.remove', { n: i + 1 })}
            </button>
          </li>
        ))}
      </ul>
      <h2>{t('enrol.settings.addHeading')}</h2>
      {unlocked === false ? (
        <div className="callout" role="status">
          <p>{t('enrol.settings.lockedBody')}</p>
          <LangLink to="/review/sign-in" className="button">
            {t('enrol.settings.unlock')}
          </LangLink>
        </div>
      ) : (
        <button type="button" className="button" onClick={() => void add()} disabled={s.busy || !unlocked}>
          {s.busy ? t('enrol.waiting') : t('enrol.settings.add')}
        </button>
      )}
      <p className="hint">{t('enrol.settings.times')}</p>
      <DigestSettings digest={digest} />
    </>
  )
}

type Digest = { enabled: boolean; email: string | null; every: string | null; lastSentAt: string | null }

/** Each choice, as the radio button says it and as the digest's state says it within a sentence. */
const everyChoices = (t: Translate, email: string) =>
  [
    { id: 'hourly', label: t('enrol.digest.hourly'), state: t('enrol.digest.onHourly', { email }) },
    { id: 'daily', label: t('enrol.digest.daily'), state: t('enrol.digest.onDaily', { email }) },
    { id: 'weekly', label: t('enrol.digest.weekly'), state: t('enrol.digest.onWeekly', { email }) },
  ] as const

function digestState(d: Digest, t: Translate): string {
  if (!d.email) return t('enrol.digest.off')
  const on = everyChoices(t, d.email).find((c) => c.id === d.every)?.state ?? ''
  return `${on} ${d.lastSentAt ? t('enrol.digest.lastSent', { when: when(d.lastSentAt, true, t) }) : t('enrol.digest.noneSent')}`
}

/** The optional, content-free email digest (ADR 0016): the reviewer's own address and how often. */
function DigestSettings({ digest }: { digest: Digest }) {
  const hydrated = useHydrated()
  const t = useT()
  const revalidator = useRevalidator()
  const [s, setS] = useState<{ busy?: boolean; error?: string; done?: string }>({})

  const send = async (body: { email: string | null; every?: string }, done: string) => {
    setS({ busy: true })
    try {
      await callApi('/api/review/digest', { body, cookies: true })
      setS({ done })
      revalidator.revalidate()
    } catch (err) {
      setS({ error: sayWith(t, said(err)) })
    }
  }
  const save = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault()
    const f = new FormData(e.currentTarget)
    const every = String(f.get('digestEvery') ?? '')
    void send({ email: String(f.get('digestEmail') ?? '').trim(), every }, t('enrol.digest.saved'))
  }
  const turnOff = (
    <button
      type="button"
      className="button button--secondary"
      disabled={s.busy || !hydrated}
      onClick={() => void send({ email: null }, t('enrol.digest.turnedOff'))}
    >
      {t('enrol.digest.turnOff')}
    </button>
  )

  return (
    <section aria-labelledby="digest-title" data-digest>
      <h2 id="digest-title">{t('enrol.digest.heading')}</h2>
      <p>{t('enrol.digest.body')}</p>
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
          <p>{t('enrol.digest.serverOff')}</p>
          {digest.email ? turnOff : null}
        </div>
      ) : (
        <form method="post" onSubmit={save} className="narrow" key={`${digest.email}:${digest.every}`}>
          <p data-digest-state>{digestState(digest, t)}</p>
          <div className="field">
            <label htmlFor="digestEmail" className="field__label">
              {t('enrol.digest.email')}
            </label>
            <div className="hint" id="digestEmail-hint">
              {t('enrol.digest.emailHint')}
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
            <legend className="field__label">{t('enrol.digest.every')}</legend>
            <div className="hint">{t('enrol.digest.everyHint')}</div>
            {everyChoices(t, digest.email ?? '').map(({ id, label }) => (
              <label key={id} className="choice">
                <input type="radio" name="digestEvery" value={id} defaultChecked={(digest.every ?? 'daily') === id} /> <span>{label}</span>
              </label>
            ))}
          </fieldset>
          <div className="actions">
            <button type="submit" className="button" disabled={s.busy || !hydrated}>
              {s.busy ? t('enrol.saving') : t('enrol.digest.save')}
            </button>
            {digest.email ? turnOff : null}
          </div>
        </form>
      )}
    </section>
  )
}
