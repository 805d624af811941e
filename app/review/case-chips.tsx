import { clocks, outcomeLabel, STATUS_LABELS, type ReportClock, type Status } from '#common/triage-rules'
import { daysBetween } from '#common/days'

export type CaseRow = ReportClock & {
  status: string
  outcome: string | null
  withdrawalRequestedDay: string | null
  unread?: boolean
}

const short = (day: string) => new Date(`${day}T00:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' })

/**
 * Where a report stands against its deadlines. Every chip says in words what its colour says,
 * so nothing depends on seeing red.
 */
export function CaseChips({ row, today }: { row: CaseRow; today: string }) {
  const c = clocks(row, today)
  const chips: Array<{ text: string; tone: 'done' | 'due' | 'overdue' | 'warn' | 'info'; key: string }> = []
  if (row.unread) chips.push({ key: 'unread', text: 'Unread', tone: 'info' })
  chips.push({
    key: 'status',
    text: row.status === 'closed' ? `Closed: ${outcomeLabel(row.outcome)}` : (STATUS_LABELS[row.status as Status] ?? row.status),
    tone: 'info',
  })
  if (c.acknowledge.metOn) {
    if (c.acknowledge.overdue) chips.push({ key: 'ack', text: `Acknowledged late, ${short(c.acknowledge.metOn)}`, tone: 'overdue' })
  } else
    chips.push(
      c.acknowledge.overdue
        ? { key: 'ack', text: `Acknowledgement overdue since ${short(c.acknowledge.due)}`, tone: 'overdue' }
        : { key: 'ack', text: `Acknowledge by ${short(c.acknowledge.due)}`, tone: 'due' },
    )
  if (row.status !== 'closed') {
    if (c.feedback.metOn)
      chips.push({ key: 'feedback', text: c.feedback.overdue ? 'Feedback given late' : 'Feedback given', tone: c.feedback.overdue ? 'overdue' : 'done' })
    else
      chips.push(
        c.feedback.overdue
          ? { key: 'feedback', text: `Feedback overdue since ${short(c.feedback.due)}`, tone: 'overdue' }
          : { key: 'feedback', text: `Feedback by ${short(c.feedback.due)}`, tone: 'due' },
      )
  }
  if (c.deleteOn) {
    const left = daysBetween(today, c.deleteOn)
    chips.push(
      c.deletionSoon
        ? { key: 'delete', text: `Deleted in ${left <= 0 ? 'under a day' : left === 1 ? '1 day' : `${left} days`} (${short(c.deleteOn)})`, tone: 'warn' }
        : { key: 'delete', text: `Will be deleted on ${short(c.deleteOn)}`, tone: 'info' },
    )
  }
  if (row.withdrawalRequestedDay) chips.push({ key: 'withdraw', text: 'Reporter asked to withdraw', tone: 'warn' })
  return (
    <ul className="chips" aria-label="Deadlines and status">
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
