import type { FileRef } from '#crypto'
import type { Answers } from '#common/report-fields'
import { sizeMessage } from '#common/i18n/message'
import { outcomeLabel, STATUS_LABELS, type Status } from '#common/triage-rules'
import type { OpenedReportWire, ReportState, ShownMessage } from '~/review/triage.client'
import { AnswersList } from '~/ui/answers-list'
import { CaseChips } from './case-chips'
import { OpenedTrail, ReviewThread } from './review-thread'
import { RowBoundary } from '~/ui/row-boundary'
import { useSay } from '~/ui/fields'
import { formatDay } from '#common/days'

/**
 * The case-file copy: built in this browser from what it already opened, for printing or saving
 * as PDF. The export itself is recorded in the trail before this is shown.
 */
export function CaseFile(p: {
  wire: OpenedReportWire
  state: ReportState
  answers: Answers | null
  files: FileRef[]
  messages: ShownMessage[]
  exportedAt: string
  onClose: () => void
}) {
  const say = useSay()
  const r = p.wire.report
  const assignee = p.wire.members.find((m) => m.id === r.assigneeId)?.displayName
  return (
    <article className="case-file" data-case-file>
      <div className="row-actions no-print">
        <button type="button" className="button button--small" onClick={() => window.print()}>
          Print or save as PDF
        </button>
        <button type="button" className="button button--secondary button--small" onClick={p.onClose}>
          Back to the report
        </button>
      </div>
      <h1>Case file: {r.pseudonym}</h1>
      <p>
        {r.inboxName} · received {formatDay(r.receivedDay)} · status {STATUS_LABELS[r.status as Status] ?? r.status}
        {r.status === 'closed' ? ` (${outcomeLabel(r.outcome)})` : ''} · {assignee ? `assigned to ${assignee}` : 'not assigned'}
      </p>
      <p className="hint">
        Exported by {p.wire.me.displayName} on {new Date(p.exportedAt).toLocaleString('en-GB', { timeZone: 'UTC' })} UTC. This export is recorded in the
        report's trail. Keep this copy as carefully as the report itself.
      </p>
      <CaseChips row={{ ...r, retentionDays: r.retentionDays }} today={p.wire.today} />
      <h2>What the reporter sent</h2>
      {p.state === 'open' ? (
        <AnswersList answers={p.answers} audience="reviewer" />
      ) : p.state === 'locked' ? (
        <p>This report could not be opened or verified with the keys in this tab.</p>
      ) : (
        <p data-unreadable>This report could not be read: it is not a well-formed report signed by its sender. Report id {r.id}.</p>
      )}
      {p.files.length ? (
        <>
          <h2>Files sent with the report</h2>
          <ul>
            {p.files.map((f) => (
              <RowBoundary key={f.id} fallback={<li data-unreadable>A file that could not be read</li>}>
                <li>
                  <span className="their-words">{f.name}</span> ({f.type || 'unknown type'}, {say(sizeMessage(f.size))})
                </li>
              </RowBoundary>
            ))}
          </ul>
          <p className="hint">This copy lists the files; download the originals from the report page.</p>
        </>
      ) : null}
      <h2>Thread, including internal notes</h2>
      <ReviewThread messages={p.messages} />
      <OpenedTrail trail={p.wire.trail} />
    </article>
  )
}
