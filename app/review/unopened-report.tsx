import type { DeleteReason } from '#common/delete-reasons'
import { useT } from '~/ui/i18n'
import { DeleteUnreadable } from './delete-unreadable'
import type { ReportState } from './triage.client'

/** A report this tab could not show: why, its id, and for an admin, a way to delete it. */
export function UnopenedReport({
  state,
  id,
  onDelete,
}: {
  state: Exclude<ReportState, 'open'>
  id: string
  onDelete?: (reason: DeleteReason) => Promise<void>
}) {
  const t = useT()
  return (
    <div className="bubble bubble--unreadable" data-unreadable={state === 'unreadable' ? '' : undefined}>
      {state === 'locked' ? (
        // Not "sign in again": a key missing from this tab may be one it refused to trust.
        <p>{t('triage.report.locked')}</p>
      ) : (
        <>
          <p>
            <strong>{t('triage.report.unreadable')}</strong> {t('triage.report.unreadableWhy')}
          </p>
          <p className="hint">{t('triage.report.id', { id })}</p>
        </>
      )}
      {onDelete ? <DeleteUnreadable what="report" onDelete={onDelete} /> : null}
    </div>
  )
}
