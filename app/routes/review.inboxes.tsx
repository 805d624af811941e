import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData, useRevalidator } from '@remix-run/react'
import { useState, type FormEvent } from 'react'
import { LIMITS } from '#common/limits'
import { DELETION_WARNING_DAYS, RETENTION } from '#common/triage-rules'
import { callApi } from '~/ui/api.client'
import { adoptInbox, createInbox, type OfflineInbox } from '~/review/inbox-custody.client'
import { requireReviewer } from '~/review/reviewer-session.server'

export const meta: MetaFunction = () => [{ title: 'Inboxes · Candour review' }]

export const loader = async ({ request, context }: LoaderFunctionArgs) => {
  const { reviewerId } = requireReviewer(request, context)
  const { role } = await context.services.reviewers.overview(reviewerId)
  if (role !== 'admin') return { isAdmin: false, offline: [], retention: [] }
  return { isAdmin: true, offline: await context.services.custody.offline(reviewerId), retention: await context.services.inboxes.retention() }
}

/** Admins make new inboxes and adopt offline ones; every key is made or opened in this browser. */
export default function Inboxes() {
  const { isAdmin, offline, retention } = useLoaderData<typeof loader>()
  const revalidator = useRevalidator()
  const [msg, setMsg] = useState<{ ok?: string; error?: string }>({})
  const [busy, setBusy] = useState(false)
  const run = async (work: () => Promise<string>) => {
    setBusy(true)
    setMsg({})
    try {
      setMsg({ ok: await work() })
      revalidator.revalidate()
    } catch (err) {
      setMsg({ error: (err as Error).message })
    } finally {
      setBusy(false)
    }
  }
  if (!isAdmin)
    return (
      <>
        <h1>Inboxes</h1>
        <p>Only an admin can create or adopt inboxes.</p>
      </>
    )
  const create = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault()
    const form = e.currentTarget
    const f = new FormData(form)
    const name = String(f.get('name') ?? '').trim()
    void run(async () => {
      await createInbox(name, String(f.get('description') ?? '').trim())
      form.reset()
      return `Inbox "${name}" created. Its keys are sealed to you; invite others from Members.`
    })
  }
  const adopt = (inbox: OfflineInbox) => (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault()
    const file = (e.currentTarget.elements.namedItem('keyfile') as HTMLInputElement).files?.[0]
    if (!file) return setMsg({ error: 'Choose the inbox key file first.' })
    void run(async () => {
      await adoptInbox(inbox, await file.text())
      return `"${inbox.name}" adopted: its keys are now sealed to you. Keep or destroy the key file as your policy says.`
    })
  }
  const keep = (inboxId: string, name: string) => (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault()
    const days = Number(new FormData(e.currentTarget).get('days'))
    void run(async () => {
      await callApi('/api/review/triage/retention', { body: { inboxId, days }, cookies: true })
      return `"${name}" now keeps closed reports for ${days} days.`
    })
  }
  return (
    <>
      <p>
        <Link to="/review">← Back to your inboxes</Link>
      </p>
      <h1>Inboxes</h1>
      {msg.ok ? (
        <p className="notice" role="status">
          {msg.ok}
        </p>
      ) : null}
      {msg.error ? (
        <p className="field__error" role="alert">
          {msg.error}
        </p>
      ) : null}
      <section aria-labelledby="new-inbox">
        <h2 id="new-inbox">Create an inbox</h2>
        <p className="hint">For example an independent reviewer for reports about Professional Standards itself.</p>
        <form onSubmit={create} className="narrow">
          <div className="field">
            <label htmlFor="name" className="field__label">
              Name
            </label>
            <input id="name" name="name" maxLength={LIMITS.inboxNameChars} required />
          </div>
          <div className="field">
            <label htmlFor="description" className="field__label">
              Description shown to reporters
            </label>
            <textarea id="description" name="description" rows={2} maxLength={LIMITS.inboxDescriptionChars} />
          </div>
          <button type="submit" className="button" disabled={busy}>
            Create inbox
          </button>
        </form>
      </section>
      <section aria-labelledby="offline">
        <h2 id="offline">Adopt an offline inbox</h2>
        {offline.length === 0 ? <p>There are no offline inboxes to adopt.</p> : null}
        {offline.map((inbox) => (
          <form key={inbox.id} onSubmit={adopt(inbox)} className="card narrow">
            <h3>{inbox.name}</h3>
            <p className="hint">Created with the command line; its key file is kept offline. Importing it here seals its keys to you.</p>
            <div className="field">
              <label htmlFor={`keyfile-${inbox.id}`} className="field__label">
                Inbox key file
              </label>
              <input id={`keyfile-${inbox.id}`} name="keyfile" type="file" accept=".key,.json,application/json" />
            </div>
            <button type="submit" className="button" disabled={busy}>
              Adopt this inbox
            </button>
          </form>
        ))}
      </section>
      <section aria-labelledby="retention">
        <h2 id="retention">How long closed reports are kept</h2>
        <p className="hint">
          A closed report, its messages and files are deleted for good this many days after it was closed. Reviewers see the date on each report and a warning{' '}
          {DELETION_WARNING_DAYS} days before. Reopening a report cancels its deletion.
        </p>
        {retention.map((i) => (
          <form key={i.id} onSubmit={keep(i.id, i.name)} className="row-actions" data-retention={i.id}>
            <div className="field">
              <label htmlFor={`days-${i.id}`} className="field__label">
                {i.name}: days to keep
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
              Save
            </button>
          </form>
        ))}
      </section>
    </>
  )
}
