import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useEffect, useState } from 'react'
import type { Envelope } from '../../crypto/index'
import { categoryLabel, type Answers } from '../../server/report-fields'
import { KeysLocked } from '~/components/keys-locked'
import { formatDay } from '~/components/thread-view'
import { callApi } from '~/lib/api.client'
import { loadCrypto } from '~/lib/crypto.client'
import { keyring } from '~/lib/keyring.client'
import { requireReviewer } from '~/lib/reviewer-session.server'
import { inboxKey, STATUS_LABELS } from '~/lib/triage.client'

export const loader = ({ request, context, params }: LoaderFunctionArgs) => {
  requireReviewer(request, context)
  return { inboxId: params.id ?? '' }
}

type Row = { id: string; pseudonym: string; keyVersion: number; envelope: Envelope; receivedDay: string; status: string; messageCount: number; lastActivityDay: string }
type Listing = { inbox: { id: string; name: string; keyVersion: number }; reports: Row[] }
/** A row as shown: categories come from the sealed report, so they exist only in this browser. */
type Shown = Row & { categories: string[] | null }

export default function InboxReports() {
  const { inboxId } = useLoaderData<typeof loader>()
  const [state, setState] = useState<{ locked: true } | { error: string } | { name: string; rows: Shown[] } | null>(null)
  useEffect(() => {
    if (!keyring()) return setState({ locked: true })
    let live = true
    void (async () => {
      try {
        const [c, listing] = await Promise.all([loadCrypto(), callApi<Listing>('/api/review/triage/list', { body: { inboxId }, cookies: true })])
        const rows = listing.reports.map((r): Shown => {
          const key = inboxKey(inboxId, r.keyVersion)
          try {
            const opened = key ? c.openReport(r.envelope, { as: 'inbox', inbox: key.encryption }) : null
            return { ...r, categories: opened?.verified ? ((opened.answers as Answers).categories ?? []) : null }
          } catch {
            return { ...r, categories: null }
          }
        })
        if (live) setState({ name: listing.inbox.name, rows })
      } catch (err) {
        if (live) setState({ error: (err as Error).message })
      }
    })()
    return () => {
      live = false
    }
  }, [inboxId])

  if (!state) return <p role="status">Opening reports in this browser…</p>
  if ('locked' in state) return <KeysLocked />
  if ('error' in state) return <p className="error-summary" role="alert">{state.error}</p>
  return (
    <>
      <p>
        <Link to="/review">Back to your inboxes</Link>
      </p>
      <h1>{state.name}</h1>
      <p className="hint">Reports are opened in this browser with your inbox key. Opening one is recorded in its trail.</p>
      {state.rows.length === 0 ? <p>No reports yet.</p> : null}
      <ul className="card-list">
        {state.rows.map((r) => (
          <li key={r.id} className="card" data-report={r.id}>
            <h2>
              <Link to={`/review/report/${r.id}`}>{r.pseudonym}</Link>
            </h2>
            <p>{r.categories ? r.categories.map(categoryLabel).join(', ') : 'Could not be opened with the keys in this tab'}</p>
            <p className="hint">
              Received {formatDay(r.receivedDay)} · {STATUS_LABELS[r.status] ?? r.status} ·{' '}
              {r.messageCount === 1 ? '1 message' : `${r.messageCount} messages`} · last activity {formatDay(r.lastActivityDay)}
            </p>
          </li>
        ))}
      </ul>
    </>
  )
}
