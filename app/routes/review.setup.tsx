import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useNavigate } from '@remix-run/react'
import { useEffect, useState, type FormEvent } from 'react'
import { Trans } from 'react-i18next'
import { PassphraseStep, RecoveryStep } from '~/review/enrol-steps'
import { LIMITS } from '#common/limits'
import { callApi } from '~/ui/api.client'
import { prepareFirstAdmin, type Unlock } from '~/review/enrol.client'
import { unlock, type KeyringPayload } from '~/review/keyring.client'
import { passkeyError } from '~/review/passkey-errors'
import { createPasskey } from '~/review/passkeys.client'
import { ErrorSummary, Field, fieldAria } from '~/ui/fields'
import { metaT, useLangHref, useT } from '~/ui/i18n'
import { pageMessages } from '~/ui/i18n.server'

export const loader = (args: LoaderFunctionArgs) => pageMessages(args, ['enrol'])

export const meta: MetaFunction = ({ matches }) => {
  const t = metaT(matches)
  return [{ title: t('enrol.setup.title') }]
}

type Details = { displayName: string; inboxName: string; description: string }
type Registered = { ceremonyId: string; registration: unknown; details: Details }
type Step =
  | { step: 'details'; error?: string; missing?: 'displayName' | 'inboxName' }
  | { step: 'passphrase'; reg: Registered; error?: string }
  | { step: 'recovery'; reg: Registered; prepared: Awaited<ReturnType<typeof prepareFirstAdmin>>; error?: string }

/** First run: the first admin's passkey, keys, recovery key and first inbox, all made here. */
export default function Setup() {
  const navigate = useNavigate()
  const t = useT()
  const href = useLangHref()
  const [token, setToken] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const [s, setS] = useState<Step>({ step: 'details' })
  // The token travels in the link's #fragment, which browsers never send to a server.
  useEffect(() => setToken(window.location.hash.slice(1)), [])

  const prepare = async (reg: Registered, how: Unlock) => {
    const prepared = await prepareFirstAdmin(how, { name: reg.details.inboxName, description: reg.details.description })
    setS({ step: 'recovery', reg, prepared })
  }

  const start = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault()
    const f = new FormData(e.currentTarget)
    const details = {
      displayName: String(f.get('displayName') ?? '').trim(),
      inboxName: String(f.get('inboxName') ?? '').trim(),
      description: String(f.get('description') ?? '').trim(),
    }
    const missing = !details.displayName ? 'displayName' : !details.inboxName ? 'inboxName' : undefined
    if (missing) return setS({ step: 'details', missing })
    setBusy(true)
    try {
      const { ceremonyId, options } = await callApi<{ ceremonyId: string; options: Parameters<typeof createPasskey>[0] }>('/api/review/setup/options', {
        body: { token, displayName: details.displayName },
        cookies: true,
      })
      const { registration, prf } = await createPasskey(options)
      const reg = { ceremonyId, registration, details }
      if (prf) await prepare(reg, { kind: 'prf', prf })
      else setS({ step: 'passphrase', reg })
    } catch (err) {
      setS({ step: 'details', error: passkeyError(err, t) })
    } finally {
      setBusy(false)
    }
  }

  if (!token)
    return (
      <div className="narrow">
        <h1>{t('enrol.setup.heading')}</h1>
        <p>{t('enrol.setup.needsLink')}</p>
        <p>
          <Trans i18nKey="enrol.setup.newLink" components={{ code: <code /> }} />
        </p>
      </div>
    )

  // The one message names both fields; it is shown at the first one left empty.
  const missing: { displayName?: string; inboxName?: string } = s.step === 'details' && s.missing ? { [s.missing]: t('enrol.setup.missing') } : {}
  if (s.step === 'details')
    return (
      <form onSubmit={start} className="narrow" noValidate>
        <h1>{t('enrol.setup.heading')}</h1>
        <ErrorSummary errors={missing} />
        <p>{t('enrol.setup.body')}</p>
        {s.error ? (
          <p className="field__error" role="alert">
            {s.error}
          </p>
        ) : null}
        <Field id="displayName" label={t('enrol.setup.name')} hint={t('enrol.setup.nameHint')} error={missing.displayName}>
          <input id="displayName" name="displayName" maxLength={80} required {...fieldAria('displayName', true, missing.displayName)} />
        </Field>
        <Field id="inboxName" label={t('enrol.setup.inbox')} hint={t('enrol.setup.inboxHint')} error={missing.inboxName}>
          <input id="inboxName" name="inboxName" maxLength={LIMITS.inboxNameChars} required {...fieldAria('inboxName', true, missing.inboxName)} />
        </Field>
        <div className="field">
          <label htmlFor="description" className="field__label">
            {t('enrol.setup.description')}
          </label>
          <textarea id="description" name="description" rows={2} maxLength={LIMITS.inboxDescriptionChars} />
        </div>
        <button type="submit" className="button" disabled={busy}>
          {busy ? t('enrol.waiting') : t('enrol.createPasskey')}
        </button>
      </form>
    )

  if (s.step === 'passphrase') return <PassphraseStep onPassphrase={(passphrase) => prepare(s.reg, { kind: 'passphrase', passphrase })} />

  const { prepared } = s
  const finish = async () => {
    const payload = await callApi<KeyringPayload>('/api/review/setup/complete', {
      body: { ceremonyId: s.reg.ceremonyId, registration: s.reg.registration, reviewer: prepared.reviewer, inbox: prepared.inbox },
      cookies: true,
    })
    // The first inbox's identity was made in this browser: pin that one, not whatever comes back.
    await unlock(payload, prepared.wrapKey, [prepared.inbox.key.signPk])
    navigate(href('/review'))
  }
  return <RecoveryStep code={prepared.recoveryCode} finish={t('enrol.setup.finish')} onKept={finish} />
}
