import { Link } from '@remix-run/react'
import { useDeferredValue, useEffect, useMemo, useState } from 'react'
import { categoryLabel, CATEGORY_IDS } from '#common/report-fields'
import { useT } from '~/ui/i18n'
import { STATUS_LABELS, STATUSES } from '#common/triage-rules'
import type { DeleteReason } from '#common/delete-reasons'
import { deleteForGood } from '~/review/triage.client'
import type { OpenedRow } from '~/review/use-reports'
import type { Listing } from '~/ui/wire'
import { CaseChips, isOverdue } from './case-chips'
import { DeleteUnreadable } from './delete-unreadable'
import { RowBoundary } from '~/ui/row-boundary'
import { formatDay } from '#common/days'

const PAGE = 50
type Filters = { inbox: string; status: string; category: string; assignee: string; overdue: boolean; unread: boolean; q: string }
const NO_FILTERS: Filters = { inbox: '', status: 'open', category: '', assignee: '', overdue: false, unread: false, q: '' }

/**
 * Filters and search run here, over what this tab opened: the server never sees a query. A row
 * that could not be read matches no filter of its content and is found by its name only.
 */
export function ReportsList({
  listing,
  rows,
  showInbox,
  onDeleted,
}: {
  listing: Listing
  rows: OpenedRow[]
  showInbox: boolean
  onDeleted: (row: OpenedRow) => void
}) {
  const t = useT()
  const [f, setF] = useState<Filters>(NO_FILTERS)
  const [shown, setShown] = useState(PAGE)
  const q = useDeferredValue(f.q.trim().toLocaleLowerCase('en-GB'))
  const names = useMemo(() => new Map(listing.members.map((m) => [m.id, m.displayName])), [listing])
  const inboxNames = useMemo(() => new Map(listing.inboxes.map((i) => [i.id, i.name])), [listing])
  const matches = useMemo(
    () =>
      rows.filter(
        (r) =>
          (!f.inbox || r.inboxId === f.inbox) &&
          (f.status === '' || (f.status === 'open' ? r.status !== 'closed' : r.status === f.status)) &&
          (!f.category || r.categories?.includes(f.category)) &&
          (!f.assignee || (f.assignee === 'none' ? !r.assigneeId : r.assigneeId === f.assignee)) &&
          (!f.overdue || isOverdue(r, listing.today)) &&
          (!f.unread || r.unread) &&
          (!q || r.haystack.includes(q)),
      ),
    [rows, f.inbox, f.status, f.category, f.assignee, f.overdue, f.unread, q, listing.today],
  )
  useEffect(() => setShown(PAGE), [f, q])
  const set = (patch: Partial<Filters>) => setF({ ...f, ...patch })
  const locked = rows.filter((r) => r.state === 'locked').length
  const unreadable = rows.filter((r) => r.state === 'unreadable').length
  const admin = listing.me.role === 'admin'
  const remove = (r: OpenedRow) => async (reason: DeleteReason) => {
    await deleteForGood({ reportId: r.id }, reason)
    onDeleted(r)
  }

  return (
    <>
      <form className="filters" role="search" aria-label="Filter reports" onSubmit={(e) => e.preventDefault()}>
        <div className="field">
          <label htmlFor="q" className="field__label">
            Search the reports
          </label>
          <input id="q" type="search" value={f.q} onChange={(e) => set({ q: e.target.value })} autoComplete="off" />
        </div>
        {showInbox ? (
          <Select
            id="f-inbox"
            label="Inbox"
            value={f.inbox}
            onChange={(inbox) => set({ inbox })}
            options={[['', 'All inboxes'], ...listing.inboxes.map((i): [string, string] => [i.id, i.name])]}
          />
        ) : null}
        <Select
          id="f-status"
          label="Status"
          value={f.status}
          onChange={(status) => set({ status })}
          options={[['open', 'Not closed'], ['', 'Any status'], ...STATUSES.map((s): [string, string] => [s, STATUS_LABELS[s]])]}
        />
        <Select
          id="f-category"
          label="Kind of behaviour"
          value={f.category}
          onChange={(category) => set({ category })}
          options={[['', 'Any kind'], ...CATEGORY_IDS.map((id): [string, string] => [id, categoryLabel(t, id)])]}
        />
        <Select
          id="f-assignee"
          label="Assigned to"
          value={f.assignee}
          onChange={(assignee) => set({ assignee })}
          options={[
            ['', 'Anyone or nobody'],
            ['none', 'Nobody yet'],
            [listing.me.id, 'Me'],
            ...listing.members.filter((m) => m.id !== listing.me.id).map((m): [string, string] => [m.id, m.displayName]),
          ]}
        />
        <label className="choice">
          <input type="checkbox" checked={f.overdue} onChange={(e) => set({ overdue: e.target.checked })} />
          <span>Only overdue</span>
        </label>
        <label className="choice">
          <input type="checkbox" checked={f.unread} onChange={(e) => set({ unread: e.target.checked })} />
          <span>Only unread</span>
        </label>
      </form>
      <p role="status" data-count={matches.length}>
        {matches.length === rows.length
          ? `${rows.length.toLocaleString('en-GB')} ${rows.length === 1 ? 'report' : 'reports'}`
          : `${matches.length.toLocaleString('en-GB')} of ${rows.length.toLocaleString('en-GB')} reports ${matches.length === 1 ? 'matches' : 'match'}`}
        {locked ? ` · ${locked} could not be opened with the keys in this tab` : ''}
        {unreadable ? ` · ${unreadable} could not be read` : ''}
      </p>
      <ul className="report-rows">
        {matches.slice(0, shown).map((r) => (
          <RowBoundary key={r.id} fallback={<Unreadable row={r} onDelete={admin ? remove(r) : undefined} />}>
            {r.state === 'unreadable' ? (
              <Unreadable row={r} onDelete={admin ? remove(r) : undefined} />
            ) : (
              <li className={`report-row${r.unread ? ' report-row--unread' : ''}`} data-report={r.id}>
                <h2>
                  <Link to={`/review/report/${r.id}`}>{r.pseudonym}</Link>
                </h2>
                <p>{r.categories ? r.categories.map((c) => categoryLabel(t, c)).join(', ') : 'Could not be opened with the keys in this tab'}</p>
                <CaseChips row={r} today={listing.today} />
                <p className="hint">
                  {showInbox ? `${inboxNames.get(r.inboxId) ?? ''} · ` : ''}Received {formatDay(r.receivedDay)} ·{' '}
                  {r.assigneeId ? `Assigned to ${names.get(r.assigneeId) ?? 'a former member'}` : 'Not assigned'} ·{' '}
                  {r.messageCount === 1 ? '1 message' : `${r.messageCount} messages`} · last activity {formatDay(r.lastActivityDay)}
                </p>
              </li>
            )}
          </RowBoundary>
        ))}
      </ul>
      {matches.length > shown ? (
        <button type="button" className="button button--secondary button--small" onClick={() => setShown(shown + PAGE)}>
          Show {Math.min(PAGE, matches.length - shown)} more
        </button>
      ) : null}
    </>
  )
}

/** A report this tab holds the key for, but that does not open into a well-formed report: its name and id only. */
function Unreadable({ row, onDelete }: { row: OpenedRow; onDelete?: (reason: DeleteReason) => Promise<void> }) {
  return (
    <li className="report-row report-row--unreadable" data-report={row.id} data-unreadable>
      <h2>
        <Link to={`/review/report/${row.id}`}>{row.pseudonym}</Link>
      </h2>
      <p>This report could not be read. Report id {row.id}</p>
      <p className="hint">
        Received {formatDay(row.receivedDay)} · {row.messageCount === 1 ? '1 message' : `${row.messageCount} messages`}
      </p>
      {onDelete ? <DeleteUnreadable what="report" onDelete={onDelete} /> : null}
    </li>
  )
}

function Select(p: { id: string; label: string; value: string; onChange: (v: string) => void; options: Array<[string, string]> }) {
  return (
    <div className="field">
      <label htmlFor={p.id} className="field__label">
        {p.label}
      </label>
      <select id={p.id} value={p.value} onChange={(e) => p.onChange(e.target.value)}>
        {p.options.map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </select>
    </div>
  )
}
