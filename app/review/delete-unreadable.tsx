import { useId, useState, type FormEvent } from 'react'
import { DELETE_REASONS, type DeleteReason } from '#common/delete-reasons'

/**
 * For admins, on a report or message this browser could not read: delete it for good, with a
 * reason from the fixed list, after a confirm step. The server records who, what and why.
 */
export function DeleteUnreadable({ what, onDelete }: { what: 'report' | 'message'; onDelete: (reason: DeleteReason) => Promise<void> }) {
  const id = useId()
  const [asking, setAsking] = useState(false)
  const [busy, setBusy] = useState(false)
  const [problem, setProblem] = useState('')
  if (!asking)
    return (
      <div className="row-actions">
        <button type="button" className="button button--secondary button--small" onClick={() => setAsking(true)}>
          Delete this unreadable {what}
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
      setProblem((err as Error).message)
      setBusy(false)
    }
  }

  return (
    <form className="confirm-delete" onSubmit={(e) => void confirm(e)} data-confirm-delete>
      <p>
        <strong>Delete this {what} for good?</strong>{' '}
        {what === 'report'
          ? 'The report and every message and file in its thread are deleted, and the reporter’s code stops working.'
          : 'Only this message is deleted; the rest of the thread stays.'}{' '}
        This cannot be undone. Your name and the reason are recorded in the audit log.
      </p>
      {problem ? (
        <p className="field__error" role="alert">
          {problem}
        </p>
      ) : null}
      <div className="field">
        <label htmlFor={`${id}-reason`} className="field__label">
          Reason
        </label>
        <select id={`${id}-reason`} name="reason" defaultValue="unreadable">
          {DELETE_REASONS.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <div className="row-actions">
        <button type="submit" className="button button--small button--danger" disabled={busy}>
          {busy ? 'Deleting…' : `Yes, delete this ${what}`}
        </button>
        <button type="button" className="button button--secondary button--small" disabled={busy} onClick={() => setAsking(false)}>
          Cancel
        </button>
      </div>
    </form>
  )
}
