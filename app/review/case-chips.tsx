import { clocks, type ReportClock } from '#common/triage-rules'
import { daysBetween } from '#common/days'
import { useT } from '~/ui/i18n'
import { dayLabel, outcomeLabel, statusLabel } from './triage-words'

export type CaseRow = ReportClock & {
  status: string
  outcome: string | null
  withdrawalRequestedDay: string | null
  unread?: boolean
}

/**
 * Where a report stands against its deadlines. Every chip says in words what its colour says,
 * so nothing depends on seeing red.
 */
export function CaseChips({ row, today }: { row: CaseRow; today: string }) {
  const t = useT()
  const short = (day: string) => ({ day: dayLabel(t, day, true) })
  const c = clocks(row, today)
  const chips: Array<{ text: string; tone: 'done' | 'due' | 'overdue' | 'warn' | 'info'; key: string }> = []
  if (row.unread) chips.push({ key: 'unread', text: t('triage.chip.unread'), tone: 'info' })
  chips.push({
    key: 'status',
    text: row.status === 'closed' ? t('triage.chip.closed', { outcome: outcomeLabel(t, row.outcome) }) : statusLabel(t, row.status),
    tone: 'info',
  })
  if (c.acknowledge.metOn) {
    if (c.acknowledge.overdue) chips.push({ key: 'ack', text: t('triage.chip.ackLate', short(c.acknowledge.metOn)), tone: 'overdue' })
  } else
    chips.push(
      c.acknowledge.overdue
        ? { key: 'ack', text: t('triage.chip.ackOverdue', short(c.acknowledge.due)), tone: 'overdue' }
        : { key: 'ack', text: t('triage.chip.ackBy', short(c.acknowledge.due)), tone: 'due' },
    )
  if (row.status !== 'closed') {
    if (c.feedback.metOn)
      chips.push({
        key: 'feedback',
        text: c.feedback.overdue ? t('triage.chip.feedbackLate') : t('triage.chip.feedbackGiven'),
        tone: c.feedback.overdue ? 'overdue' : 'done',
      })
    else
      chips.push(
        c.feedback.overdue
          ? { key: 'feedback', text: t('triage.chip.feedbackOverdue', short(c.feedback.due)), tone: 'overdue' }
          : { key: 'feedback', text: t('triage.chip.feedbackBy', short(c.feedback.due)), tone: 'due' },
      )
  }
  if (c.deleteOn) {
    const left = daysBetween(today, c.deleteOn)
    chips.push(
      c.deletionSoon
        ? {
            key: 'delete',
            text: t('triage.chip.deletedSoon', {
              left: left <= 0 ? t('triage.chip.underADay') : left === 1 ? t('triage.chip.oneDay') : t('triage.chip.days', { n: left }),
              ...short(c.deleteOn),
            }),
            tone: 'warn',
          }
        : { key: 'delete', text: t('triage.chip.deletedOn', short(c.deleteOn)), tone: 'info' },
    )
  }
  if (row.withdrawalRequestedDay) chips.push({ key: 'withdraw', text: t('triage.chip.withdraw'), tone: 'warn' })
  return (
    <ul className="chips" aria-label={t('triage.chip.label')}>
      {chips.map((chip) => (
        <li key={chip.key} className={`chip chip--${chip.tone}`} data-chip={chip.key}>
          {chip.text}
        </li>
      ))}
    </ul>
  )
}

/** True when a deadline is missed and still open, which is what the "overdue" filter means. */
export function isOverdue(row: CaseRow, today: string) {
  const c = clocks(row, today)
  return (!c.acknowledge.metOn && c.acknowledge.overdue) || (row.status !== 'closed' && !c.feedback.metOn && c.feedback.overdue)
}
