import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData, useRevalidator } from '@remix-run/react'
import { useState, type FormEvent } from 'react'
import { LIMITS } from '#common/limits'
import { DELETION_WARNING_DAYS, RETENTION } from '#common/triage-rules'
import { callApi } from '~/ui/api.client'
import { adoptInbox, createInbox, type OfflineInbox } from '~/review/inbox-custody.client'
import { ErrorSummary, Field, fieldAria } from '~/ui/fields'
import { LangLink, metaT, useT } from '~/ui/i18n'
import { pageMessages } from '~/ui/i18n.server'
import { requireReviewer } from '~/review/reviewer-session.server'
import { said, sayWith } from '#common/i18n/message'

export const meta: MetaFunction = ({ matches }) => {
  const t = metaT(matches)
  return [{ title: t('members.inboxes.title') }]
}

export const loader = async (args: LoaderFunctionArgs) => {
  const { request, context } = args
  const { reviewerId } = requireReviewer(request, context)
  const { role } = await context.services.reviewers.overview(reviewerId)
  const words = pageMessages(args, ['members'])
  if (role !== 'admin') return { isAdmin: false, offline: [], retention: [], ...words }
  return { isAdmin: true, offline: await context.services.custody.offline(reviewerId), retention: await context.services.inboxes.retention(), ...words }
}

/** Admins make new inboxes and adopt offline ones; every key is made or opened in this browser. */
export default function Inboxes() {
  const { isAdmin, offline, retention } = useLoaderData<typeof loader>()
  const revalidator = useRevalidator()
  const t = useT()
  // `field` names the field an error is about; the summary links to it.
  const [msg, setMsg] = useState<{ ok?: string; error?: string; field?: string }>({})
  const [busy, setBusy] = useState(false)
  const run = async (work: () => Promise<string>) => {
    setBusy(true)
    setMsg({})
    try {
      setMsg({ ok: await work() })
      revalidator.revalidate()
    } catch (err) {
      setMsg({ error: sayWith(t, said(err)) })
    } finally {
      setBusy(false)
    }
  }
  if (!isAdmin)
    return (
      <>
        <h1>{t('members.inboxes.heading')}</h1>
        <p>{t('members.inboxes.adminOnly')}</p>
      </>
    )
  const create = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault()
    const form = e.currentTarget
    const f = new FormData(form)
    const name = String(f.get('name') ?? '').trim()
    void run(async () => {
      await createInbox(name, String(f.get('description') ?? '').trim(), t)
      form.reset()
      return t('members.inboxes.created', { name })
    })
  }
  const adopt = (inbox: OfflineInbox) => (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault()
    const file = (e.currentTarget.elements.namedItem('keyfile') as HTMLInputElement).files?.[0]
    if (!file) return setMsg({ error: t('members.inboxes.chooseFile'), field: `keyfile-${inbox.id}` })
    void run(async () => {
      await adoptInbox(inbox, await file.text(), t)
      return t('members.inboxes.adopted', { name: inbox.name })
    })
  }
  const fileError = (id: string) => (msg.field === id ? msg.error : undefined)
  const keep = (inboxId: string, name: string) => (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault()
    const days = Number(new FormData(e.currentTarget).get('days'))
    void run(async () => {
      await callApi('/api/review/triage/retention', { body: { inboxId, days }, cookies: true })
      return t('members.inboxes.kept', { name, days })
    })
  }
  return (
    <>
      <p>
        <LangLink to="/review">{t('members.inboxes.back')}</LangLink>
      </p>
      <h1>{t('members.inboxes.heading')}</h1>
      {msg.ok ? (
        <p className="notice" role="status">
          {msg.ok}
        </p>
      ) : null}
      {msg.field ? (
        <ErrorSummary errors={{ [msg.field]: msg.error }} />
      ) : msg.error ? (
        <p className="field__error" role="alert">
          {msg.error}
        </p>
      ) : null}
      <section aria-labelledby="new-inbox">
        <h2 id="new-inbox">{t('members.inboxes.create.heading')}</h2>
        <p className="hint">{t('members.inboxes.create.hint')}</p>
        <form onSubmit={create} className="narrow">
          <div className="field">
            <label htmlFor="name" className="field__label">
              {t('members.inboxes.create.name')}
            </label>
            <input id="name" name="name" maxLength={LIMITS.inboxNameChars} required />
          </div>
          <div className="field">
            <label htmlFor="description" className="field__label">
              {t('members.inboxes.create.description')}
            </label>
            <textarea id="description" name="description" rows={2} maxLength={LIMITS.inboxDescriptionChars} />
          </div>
          <button type="submit" className="button" disabled={busy}>
            {t('members.inboxes.create.submit')}
          </button>
        </form>
      </section>
      <section aria-labelledby="offline">
        <h2 id="offline">{t('members.inboxes.adopt.heading')}</h2>
        {offline.length === 0 ? <p>{t('members.inboxes.adopt.none')}</p> : null}
        {offline.map((inbox) => (
          <form key={inbox.id} onSubmit={adopt(inbox)} className="card narrow">
            <h3>{inbox.name}</h3>
            <p className="hint">{t('members.inboxes.adopt.hint')}</p>
            <Field id={`keyfile-${inbox.id}`} label={t('members.inboxes.adopt.keyFile')} error={fileError(`keyfile-${inbox.id}`)}>
              <input
                id={`keyfile-${inbox.id}`}
                name="keyfile"
                type="file"
                accept=".key,.json,application/json"
                {...fieldAria(`keyfile-${inbox.id}`, false, fileError(`keyfile-${inbox.id}`))}
              />
            </Field>
            <button type="submit" className="button" disabled={busy}>
              {t('members.inboxes.adopt.submit')}
            </button>
          </form>
        ))}
      </section>
      <section aria-labelledby="retention">
        <h2 id="retention">{t('members.inboxes.retention.heading')}</h2>
        <p className="hint">{t('members.inboxes.retention.hint', { days: DELETION_WARNING_DAYS })}</p>
        {retention.map((i) => (
          <form key={i.id} onSubmit={keep(i.id, i.name)} className="row-actions" data-retention={i.id}>
            <div className="field">
              <label htmlFor={`days-${i.id}`} className="field__label">
                {t('members.inboxes.retention.days', { name: i.name })}
              </label>
              <input
                id={`days-${i.id}`}
                name="days"
                type="number"
                inputMode="numeric"
                min={RETENTION.minDays}
                max={RETENTION.maxDays}
                defaultValue={i.days}
                required
              />
            </div>
            <button type="submit" className="button button--secondary button--small" disabled={busy}>
              {t('members.inboxes.retention.save')}
            </button>
          </form>
        ))}
      </section>
    </>
  )
}
