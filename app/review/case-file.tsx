import type { FileRef } from '#crypto'
import type { Answers } from '#common/report-fields'
import { sizeMessage } from '#common/i18n/message'
import type { OpenedReportWire, ReportState, ShownMessage } from '~/review/triage.client'
import { AnswersList } from '~/ui/answers-list'
import { CaseChips } from './case-chips'
import { OpenedTrail, ReviewThread } from './review-thread'
import { RowBoundary } from '~/ui/row-boundary'
import { useSay } from '~/ui/fields'
import { useT } from '~/ui/i18n'
import { dayLabel, outcomeLabel, statusLabel } from './triage-words'

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
  const t = useT()
  const r = p.wire.report
  const assignee = p.wire.members.find((m) => m.id === r.assigneeId)?.displayName
  return (
    <article className="case-file" data-case-file>
      <div className="row-actions no-print">
        <button type="button" className="button button--small" onClick={() => window.print()}>
          {t('triage.caseFile.print')}
        </button>
        <button type="button" className="button button--secondary button--small" onClick={p.onClose}>
          {t('triage.caseFile.back')}
        </button>
      </div>
      <h1>{t('triage.caseFile.title', { name: r.pseudonym })}</h1>
      <p>
        {r.inboxName} · {t('triage.caseFile.received', { day: dayLabel(t, r.receivedDay) })} ·{' '}
        {t('triage.caseFile.status', { status: statusLabel(t, r.status) })}
        {r.status === 'closed' ? ` (${outcomeLabel(t, r.outcome)})` : ''} ·{' '}
        {assignee ? t('triage.caseFile.assignedTo', { name: assignee }) : t('triage.caseFile.notAssigned')}
      </p>
      <p className="hint">
        {t('triage.caseFile.exported', { name: p.wire.me.displayName, at: new Date(p.exportedAt).toLocaleString('en-GB', { timeZone: 'UTC' }) })}
      </p>
      <CaseChips row={{ ...r, retentionDays: r.retentionDays }} today={p.wire.today} />
      <h2>{t('triage.report.sent')}</h2>
      {p.state === 'open' ? (
        <AnswersList answers={p.answers} audience="reviewer" />
      ) : p.state === 'locked' ? (
        <p>{t('triage.report.locked')}</p>
      ) : (
        <p data-unreadable>{t('triage.caseFile.unreadable', { id: r.id })}</p>
      )}
      {p.files.length ? (
        <>
          <h2>{t('triage.report.files')}</h2>
          <ul>
            {p.files.map((f) => (
              <RowBoundary key={f.id} fallback={<li data-unreadable>{t('triage.caseFile.badFile')}</li>}>
                <li>
                  <span className="their-words">{f.name}</span> ({f.type || t('triage.caseFile.unknownType')}, {say(sizeMessage(f.size))})
                </li>
              </RowBoundary>
            ))}
          </ul>
          <p className="hint">{t('triage.caseFile.filesHint')}</p>
        </>
      ) : null}
      <h2>{t('triage.caseFile.thread')}</h2>
      <ReviewThread messages={p.messages} />
      <OpenedTrail trail={p.wire.trail} />
    </article>
  )
}
