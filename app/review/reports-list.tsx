import { useDeferredValue, useEffect, useMemo, useState } from 'react'
import { categoryLabel, CATEGORY_IDS } from '#common/report-fields'
import { LangLink, useT } from '~/ui/i18n'
import { STATUSES } from '#common/triage-rules'
import type { Translate } from '#common/i18n/translate'
import type { DeleteReason } from '#common/delete-reasons'
import { deleteForGood } from '~/review/triage.client'
import type { OpenedRow } from '~/review/use-reports'
import type { Listing } from '~/ui/wire'
import { CaseChips, isOverdue } from './case-chips'
import { DeleteUnreadable } from './delete-unreadable'
import { RowBoundary } from '~/ui/row-boundary'
import { dayLabel, statusLabel } from './triage-words'

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
      <form className="filters" role="search" aria-label={t('triage.list.filters')} onSubmit={(e) => e.preventDefault()}>
        <div className="field">
          <label htmlFor="q" className="field__label">
            {t('triage.list.search')}
          </label>
          <input id="q" type="search" value={f.q} onChange={(e) => set({ q: e.target.value })} autoComplete="off" />
        </div>
        {showInbox ? (
          <Select
            id="f-inbox"
            label={t('triage.list.inboxFilter')}
            value={f.inbox}
            onChange={(inbox) => set({ inbox })}
            options={[['', t('triage.list.allInboxes')], ...listing.inboxes.map((i): [string, string] => [i.id, i.name])]}
          />
        ) : null}
        <Select
          id="f-status"
          label={t('triage.list.status')}
          value={f.status}
          onChange={(status) => set({ status })}
          options={[['open', t('triage.list.notClosed')], ['', t('triage.list.anyStatus')], ...STATUSES.map((s): [string, string] => [s, statusLabel(t, s)])]}
        />
        <Select
          id="f-category"
          label={t('triage.list.kind')}
          value={f.category}
          onChange={(category) => set({ category })}
          options={[['', t('triage.list.anyKind')], ...CATEGORY_IDS.map((id): [string, string] => [id, categoryLabel(t, id)])]}
        />
        <Select
          id="f-assignee"
          label={t('triage.list.assignee')}
          value={f.assignee}
          onChange={(assignee) => set({ assignee })}
          options={[
            ['', t('triage.list.anyone')],
            ['none', t('triage.list.nobody')],
            [listing.me.id, t('triage.list.me')],
            ...listing.members.filter((m) => m.id !== listing.me.id).map((m): [string, string] => [m.id, m.displayName]),
          ]}
        />
        <label className="choice">
          <input type="checkbox" checked={f.overdue} onChange={(e) => set({ overdue: e.target.checked })} />
          <span>{t('triage.list.overdue')}</span>
        </label>
        <label className="choice">
          <input type="checkbox" checked={f.unread} onChange={(e) => set({ unread: e.target.checked })} />
          <span>{t('triage.list.unread')}</span>
        </label>
      </form>
      <p role="status" data-count={matches.length}>
        {countText(t, matches.length, rows.length)}
        {locked ? t('triage.list.locked', { n: locked }) : ''}
        {unreadable ? t('triage.list.unreadable', { n: unreadable }) : ''}
      </p>
      <ul className="report-rows">
        {matches.slice(0, shown).map((r) => (
          <RowBoundary key={r.id} fallback={<Unreadable row={r} onDelete={admin ? remove(r) : undefined} />}>
            {r.state === 'unreadable' ? (
              <Unreadable row={r} onDelete={admin ? remove(r) : undefined} />
            ) : (
              <li className={`report-row${r.unread ? ' report-row--unread' : ''}`} data-report={r.id}>
                <h2>
                  <LangLink to={`/review/report/${r.id}`}>{r.pseudonym}</LangLink>
                </h2>
                <p>{r.categories ? r.categories.map((c) => categoryLabel(t, c)).join(', ') : t('triage.list.notOpened')}</p>
                <CaseChips row={r} today={listing.today} />
                <p className="hint">
                  {showInbox ? `${inboxNames.get(r.inboxId) ?? ''} · ` : ''}
                  {t('triage.list.received', { day: dayLabel(t, r.receivedDay) })} ·{' '}
                  {r.assigneeId
                    ? t('triage.list.assignedTo', { name: names.get(r.assigneeId) ?? t('triage.list.formerMember') })
                    : t('triage.list.notAssigned')}{' '}
                  · {messagesText(t, r.messageCount)} · {t('triage.list.lastActivity', { day: dayLabel(t, r.lastActivityDay) })}
                </p>
              </li>
            )}
          </RowBoundary>
        ))}
      </ul>
      {matches.length > shown ? (
        <button type="button" className="button button--secondary button--small" onClick={() => setShown(shown + PAGE)}>
          {t('triage.list.more', { n: Math.min(PAGE, matches.length - shown) })}
        </button>
      ) : null}
    </>
  )
}

/** A report this tab holds the key for, but that does not open into a well-formed report: its name and id only. */
function Unreadable({ row, onDelete }: { row: OpenedRow; onDelete?: (reason: DeleteReason) => Promise<void> }) {
  const t = useT()
  return (
    <li className="report-row report-row--unreadable" data-report={row.id} data-unreadable>
      <h2>
        <LangLink to={`/review/report/${row.id}`}>{row.pseudonym}</LangLink>
      </h2>
      <p>{t('triage.list.unreadableReport', { id: row.id })}</p>
      <p className="hint">
        {t('triage.list.received', { day: dayLabel(t, row.receivedDay) })} · {messagesText(t, row.messageCount)}
      </p>
      {onDelete ? <DeleteUnreadable what="report" onDelete={onDelete} /> : null}
    </li>
  )
}

function countText(t: Translate, matched: number, total: number): string {
  const n = matched.toLocaleString('en-GB')
  if (matched === total) return matched === 1 ? t('triage.list.countOne') : t('triage.list.count', { n })
  const all = total.toLocaleString('en-GB')
  return matched === 1 ? t('triage.list.matchesOne', { total: all }) : t('triage.list.matches', { n, total: all })
}

const messagesText = (t: Translate, n: number) => (n === 1 ? t('triage.list.messageOne') : t('triage.list.messages', { n }))

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
