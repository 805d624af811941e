import { addDays, addMonths, daysBetween } from './days'
/**
 * Where a report can go next, what it owes the reporter and when, and what the reporter is told.
 * Shared by the server (which enforces it) and the pages (which offer only what it allows).
 */

export const STATUSES = ['received', 'acknowledged', 'assessing', 'investigating', 'referred', 'closed'] as const
export type Status = (typeof STATUSES)[number]
/** Replies sent from these on count as the feedback the 3-month deadline asks for. */
export const FEEDBACK_STATUSES: readonly Status[] = ['assessing', 'investigating', 'referred', 'closed']

/** The only moves a reviewer can make. Closed reports can be reopened, which cancels their deletion. */
export const TRANSITIONS: Record<Status, readonly Status[]> = {
  received: ['acknowledged'],
  acknowledged: ['assessing', 'closed'],
  assessing: ['investigating', 'referred', 'closed'],
  investigating: ['referred', 'closed'],
  referred: ['investigating', 'closed'],
  closed: ['assessing'],
}

// Own keys only: `from` may come from a page or a request, and 'constructor' or 'valueOf' would
// otherwise find an inherited function and throw instead of answering no.
export const canMove = (from: string, to: string) => Object.hasOwn(TRANSITIONS, from) && TRANSITIONS[from as Status].includes(to as Status)

// Ids only: the reviewer's page words them from its catalogue (app/review/triage-words.ts).
export const OUTCOMES = ['action-taken', 'no-further-action', 'not-enough-information', 'resolved-informally'] as const
export type Outcome = (typeof OUTCOMES)[number]

/** The deadlines reviewers are held to (ux.md): acknowledge within 7 days, feedback within 3 months. */
export const ACKNOWLEDGE_DAYS = 7
export const FEEDBACK_MONTHS = 3
/** How long before deletion reviewers are warned. */
export const DELETION_WARNING_DAYS = 14
export const RETENTION = { defaultDays: 365, minDays: 30, maxDays: 3650 } as const

export type Deadline = { due: string; metOn: string | null; overdue: boolean }
export type ReportClock = {
  receivedDay: string
  acknowledgedDay: string | null
  feedbackDay: string | null
  closedDay: string | null
  retentionDays: number
}

/** The two deadlines and the deletion day of one report, as of `today`. */
export function clocks(r: ReportClock, today: string) {
  const ackDue = addDays(r.receivedDay, ACKNOWLEDGE_DAYS)
  const feedbackDue = addMonths(r.receivedDay, FEEDBACK_MONTHS)
  // Closing a report ends what it owes; a deadline already missed stays missed.
  const ackMet = r.acknowledgedDay
  const feedbackMet = r.feedbackDay ?? r.closedDay
  const deleteOn = r.closedDay ? addDays(r.closedDay, r.retentionDays) : null
  return {
    acknowledge: { due: ackDue, metOn: ackMet, overdue: ackMet ? ackMet > ackDue : today > ackDue } satisfies Deadline,
    feedback: { due: feedbackDue, metOn: feedbackMet, overdue: feedbackMet ? feedbackMet > feedbackDue : today > feedbackDue } satisfies Deadline,
    deleteOn,
    deletionSoon: deleteOn !== null && daysBetween(today, deleteOn) <= DELETION_WARNING_DAYS,
  }
}
