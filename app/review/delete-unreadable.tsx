import { useId, useState, type FormEvent } from 'react'
import { DELETE_REASON_IDS, type DeleteReason } from '#common/delete-reasons'
import { useT } from '~/ui/i18n'
import { deleteReasonLabel } from './triage-words'
import { said, sayWith } from '#common/i18n/message'

/**
 * For admins, on a report or message this browser could not read: delete it for good, with a
 * reason from the fixed list, after a confirm step. The server records who, what and why.
 */
export function DeleteUnreadable({ what, onDelete }: { what: 'report' | 'message'; onDelete: (reason: DeleteReason) => Promise<void> }) {
  const t = useT()
  const id = useId()
  const report = what === 'report'
  const [asking, setAsking] = useState(false)
  const [busy, setBusy] = useState(false)
  const [problem, setProblem] = useState('')
  if (!asking)
    return (
      <div className="row-actions">
        <button type="button" className="button button--secondary button--small" onClick={() => setAsking(true)}>
          {report ? t('triage.deleteUnreadable.report') : t('triage.deleteUnreadable.message')}
        </button>
      </div>
    )

  async function confirm(e: FormEvent<HTMLFormElement>) {
    e.preventDefault()
    const reason = String(new FormData(e.currentTarget).get('reason')) as DeleteReason
    setBusy(true)
    setProblem('')
    try {
      await onDelete(reason)
    } catch (err) {
      setProblem(sayWith(t, said(err)))
      setBusy(false)
    }
  }

  return (
    <form className="confirm-delete" onSubmit={(e) => void confirm(e)} data-confirm-delete>
      <p>
        <strong>{report ? t('triage.deleteUnreadable.confirmReport') : t('triage.deleteUnreadable.confirmMessage')}</strong>{' '}
        {report ? t('triage.deleteUnreadable.reportBody') : t('triage.deleteUnreadable.messageBody')} {t('triage.deleteUnreadable.final')}
      </p>
      {problem ? (
        <p className="field__error" role="alert">
          {problem}
        </p>
      ) : null}
      <div className="field">
        <label htmlFor={`${id}-reason`} className="field__label">
          {t('triage.deleteUnreadable.reason')}
        </label>
        <select id={`${id}-reason`} name="reason" defaultValue="unreadable">
          {DELETE_REASON_IDS.map((value) => (
            <option key={value} value={value}>
              {deleteReasonLabel(t, value)}
            </option>
          ))}
        </select>
      </div>
      <div className="row-actions">
        <button type="submit" className="button button--small button--danger" disabled={busy}>
          {busy ? t('triage.deleteUnreadable.deleting') : report ? t('triage.deleteUnreadable.yesReport') : t('triage.deleteUnreadable.yesMessage')}
        </button>
        <button type="button" className="button button--secondary button--small" disabled={busy} onClick={() => setAsking(false)}>
          {t('triage.deleteUnreadable.cancel')}
        </button>
      </div>
    </form>
  )
}
