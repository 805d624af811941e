import { Link, useLocation } from '@remix-run/react'
import { useEffect, useState } from 'react'
import { useOpenedReports } from '~/review/use-reports'
import { KeysLocked } from './keys-locked'
import { ReportsList } from './reports-list'

/** One inbox, or all of a reviewer's inboxes: opened in this tab, then filtered here. */
export function ReportsPage({ inboxId }: { inboxId?: string }) {
  const state = useOpenedReports(inboxId)
  const arrived = (useLocation().state as { notice?: string } | null)?.notice
  // Deleted here, this visit: gone from the list without opening every report again.
  const [deleted, setDeleted] = useState<{ ids: Set<string>; notice?: string }>({ ids: new Set() })
  const notice = deleted.notice ?? arrived
  useEffect(() => {
    if (state.phase === 'ready') performance.mark('candour:inbox-rendered')
  }, [state.phase])
  if (state.phase === 'locked') return <KeysLocked />
  // Every state has its heading, so a screen reader lands on the page it asked for while it opens.
  const pending = inboxId ? 'Inbox' : 'All reports'
  if (state.phase === 'error')
    return (
      <>
        <h1>{pending}</h1>
        <p className="error-summary" role="alert">
          {state.error}
        </p>
      </>
    )
  if (state.phase === 'opening')
    return (
      <>
        <h1>{pending}</h1>
        <p role="status">
          Opening reports in this browser…
          {state.total ? ` ${state.done.toLocaleString('en-GB')} of ${state.total.toLocaleString('en-GB')}` : ''}
        </p>
      </>
    )
  const { listing } = state
  const rows = deleted.ids.size ? state.rows.filter((r) => !deleted.ids.has(r.id)) : state.rows
  const title = inboxId ? (listing.inboxes[0]?.name ?? pending) : pending
  return (
    <div data-inbox-ready="" data-count={rows.length}>
      <p>
        <Link to="/review">Back to your inboxes</Link>
        {inboxId ? (
          <>
            {' · '}
            <Link to="/review/reports">All your reports</Link>
          </>
        ) : null}
      </p>
      <h1>{title}</h1>
      {notice ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      <p className="hint">
        Reports are opened and searched in this browser with your inbox keys; the server never sees what you search for. Opening this list is recorded in the
        audit log, and opening a report in its trail.
      </p>
      {rows.length === 0 ? (
        <p>No reports yet.</p>
      ) : (
        <ReportsList
          listing={listing}
          rows={rows}
          showInbox={!inboxId && listing.inboxes.length > 1}
          onDeleted={(r) => setDeleted((d) => ({ ids: new Set([...d.ids, r.id]), notice: `${r.pseudonym} could not be read and was deleted for good.` }))}
        />
      )}
    </div>
  )
}
