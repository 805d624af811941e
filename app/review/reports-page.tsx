import { useLocation } from '@remix-run/react'
import { useEffect, useState } from 'react'
import { useOpenedReports } from '~/review/use-reports'
import { KeysLocked } from './keys-locked'
import { ReportsList } from './reports-list'
import { LangLink, useT } from '~/ui/i18n'

/** One inbox, or all of a reviewer's inboxes: opened in this tab, then filtered here. */
export function ReportsPage({ inboxId }: { inboxId?: string }) {
  const t = useT()
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
  const pending = inboxId ? t('triage.list.inbox') : t('triage.list.all')
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
          {t('triage.list.opening')}
          {state.total ? ` ${t('triage.list.progress', { done: state.done.toLocaleString('en-GB'), total: state.total.toLocaleString('en-GB') })}` : ''}
        </p>
      </>
    )
  const { listing } = state
  const rows = deleted.ids.size ? state.rows.filter((r) => !deleted.ids.has(r.id)) : state.rows
  const title = inboxId ? (listing.inboxes[0]?.name ?? pending) : pending
  return (
    <div data-inbox-ready="" data-count={rows.length}>
      <p>
        <LangLink to="/review">{t('triage.list.back')}</LangLink>
        {inboxId ? (
          <>
            {' · '}
            <LangLink to="/review/reports">{t('triage.list.allYours')}</LangLink>
          </>
        ) : null}
      </p>
      <h1>{title}</h1>
      {notice ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      <p className="hint">{t('triage.list.hint')}</p>
      {rows.length === 0 ? (
        <p>{t('triage.list.none')}</p>
      ) : (
        <ReportsList
          listing={listing}
          rows={rows}
          showInbox={!inboxId && listing.inboxes.length > 1}
          onDeleted={(r) => setDeleted((d) => ({ ids: new Set([...d.ids, r.id]), notice: t('triage.list.deleted', { name: r.pseudonym }) }))}
        />
      )}
    </div>
  )
}
