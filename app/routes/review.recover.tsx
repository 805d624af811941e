import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useNavigate } from '@remix-run/react'
import { useState, type FormEvent } from 'react'
import { Trans } from 'react-i18next'
import type { Translate } from '#common/i18n/translate'
import { PassphraseStep, RecoveryStep } from '~/review/enrol-steps'
import { callApi } from '~/ui/api.client'
import { loadCrypto } from '~/ui/crypto.client'
import { newRecoveryKey, type Unlock } from '~/review/enrol.client'
import { unlock, type KeyringPayload } from '~/review/keyring.client'
import { wrapForNewPasskey, type Created, type Options } from '~/review/new-passkey.client'
import { passkeyError } from '~/review/passkey-errors'
import { createPasskey } from '~/review/passkeys.client'
import { ErrorSummary, Field, fieldAria } from '~/ui/fields'
import { LangLink, metaT, useLangHref, useT } from '~/ui/i18n'
import { pageMessages } from '~/ui/i18n.server'

export const loader = (args: LoaderFunctionArgs) => pageMessages(args, ['enrol'])

export const meta: MetaFunction = ({ matches }) => {
  const t = metaT(matches)
  return [{ title: t('enrol.recover.title') }]
}

/** What is wrong with a typed recovery key, told before anything is looked up. */
function codeProblem(problem: 'empty' | 'length' | 'characters' | 'typo', t: Translate): string {
  if (problem === 'empty') return t('enrol.recover.empty')
  if (problem === 'length') return t('enrol.recover.length')
  if (problem === 'characters') return t('enrol.recover.characters')
  return t('enrol.recover.typo')
}

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
  const t = useT()
  const href = useLangHref()
  const [s, setS] = useState<{ busy?: boolean; error?: string; codeError?: string; proven?: Proven; ready?: Ready }>({})

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
      navigate(href('/review'))
    }
    setS({ ready: { post, code } })
  }

  const start = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault()
    const typed = String(new FormData(e.currentTarget).get('code') ?? '') // read before any await: React clears currentTarget
    const c = await loadCrypto()
    const parsed = c.parseRecoveryCode(typed)
    if (!parsed.ok) return setS({ codeError: codeProblem(parsed.problem, t) })
    setS({ busy: true })
    try {
      const found = await callApi<Found>('/api/review/recover/options', { body: { lookupId: c.recoveryLookupId(parsed.normalised) }, cookies: true })
      let reviewerSk: Uint8Array
      try {
        reviewerSk = c.unwrapSecret(found.recoveryWrap, c.wrapKeyFromRecovery(parsed.normalised))
      } catch {
        return setS({ codeError: t('enrol.recover.wrongKey') })
      }
      const answer = c.toB64(c.openSealedSecret(found.challenge, { publicKey: c.fromB64(found.boxPk), privateKey: reviewerSk }))
      const created = await createPasskey(found.options)
      const proven = { ceremonyId: found.ceremonyId, reviewerSk, answer, created }
      if (created.prf) await prepare(proven, { kind: 'prf', prf: created.prf })
      else setS({ proven })
    } catch (err) {
      setS({ error: passkeyError(err, t) })
    }
  }

  if (s.ready)
    return (
      <RecoveryStep code={s.ready.code} finish={t('enrol.recover.finish')} onKept={s.ready.post}>
        <p>
          <Trans i18nKey="enrol.recover.newKey" components={{ strong: <strong /> }} />
        </p>
      </RecoveryStep>
    )

  const p = s.proven
  if (p) return <PassphraseStep onPassphrase={(passphrase) => prepare(p, { kind: 'passphrase', passphrase })} />

  return (
    <form onSubmit={start} className="narrow" noValidate>
      <h1>{t('enrol.recover.heading')}</h1>
      <ErrorSummary errors={{ code: s.codeError }} />
      <p>{t('enrol.recover.body')}</p>
      {s.error ? (
        <p className="field__error" role="alert">
          {s.error}
        </p>
      ) : null}
      <Field id="code" label={t('enrol.recover.label')} hint={t('enrol.recover.hint')} error={s.codeError}>
        <input id="code" name="code" className="input--code" autoComplete="off" spellCheck={false} required {...fieldAria('code', true, s.codeError)} />
      </Field>
      <button type="submit" className="button" disabled={s.busy}>
        {s.busy ? t('enrol.waiting') : t('enrol.recover.button')}
      </button>
      <p>
        <LangLink to="/review/sign-in">{t('enrol.recover.back')}</LangLink>
      </p>
    </form>
  )
}
