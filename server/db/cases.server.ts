import type { Connection } from './connection.server'

/** Reports as reviewers work on them: status, deadlines' days, assignee, a withdrawal's answer. */

export type CaseRow = {
  id: string
  inbox_id: string
  key_version: number
  envelope: string
  received_day: string
  status: string
  assignee_id: string | null
  acknowledged_day: string | null
  feedback_day: string | null
  closed_day: string | null
  outcome: string | null
  withdrawal_requested_day: string | null
  withdrawal_declined_day: string | null
}

const CASE_COLUMNS = `id, inbox_id, key_version, envelope, received_day, status, assignee_id, acknowledged_day,
  feedback_day, closed_day, outcome, withdrawal_requested_day, withdrawal_declined_day`

export const caseRow = (conn: Connection, reportId: string) => conn.get<CaseRow>(`SELECT ${CASE_COLUMNS} FROM reports WHERE id = ?`, [reportId])

/** The inboxes' reports, each with its message count, last message day and whether the reviewer has unread ones. */
export const caseList = (conn: Connection, reviewerId: string, inboxIds: string[]) =>
  conn.all<CaseRow & { messages: number; last_day: string | null; unread: number }>(
    `SELECT r.*,
                    (SELECT COUNT(*) FROM messages m WHERE m.report_id = r.id) AS messages,
                    (SELECT MAX(created_day) FROM messages m WHERE m.report_id = r.id) AS last_day,
                    (rr.seen_seq IS NULL OR EXISTS (SELECT 1 FROM messages m WHERE m.report_id = r.id
                       AND m.author_kind = 'reporter' AND m.seq > rr.seen_seq)) AS unread
             FROM reports r LEFT JOIN report_reads rr ON rr.report_id = r.id AND rr.reviewer_id = ?
             WHERE r.inbox_id IN (${inboxIds.map(() => '?').join(',')})`,
    [reviewerId, ...inboxIds],
  )

export const markAcknowledged = (tx: Connection, reportId: string, day: string) =>
  tx.run("UPDATE reports SET status = 'acknowledged', acknowledged_day = ? WHERE id = ?", [day, reportId])

export const markFeedback = (tx: Connection, reportId: string, day: string) => tx.run('UPDATE reports SET feedback_day = ? WHERE id = ?', [day, reportId])

/**
 * A status change. The acknowledged and feedback days are set only if still empty, so a later
 * change never moves a deadline already met; `closedDay` is null unless closing.
 */
export const setCaseStatus = (
  tx: Connection,
  reportId: string,
  c: { status: string; outcome: string | null; acknowledgedDay: string | null; feedbackDay: string | null; closedDay: string | null },
) =>
  tx.run(
    `UPDATE reports SET status = ?, outcome = ?,
             acknowledged_day = COALESCE(acknowledged_day, ?),
             feedback_day = COALESCE(feedback_day, ?),
             closed_day = ? WHERE id = ?`,
    [c.status, c.outcome, c.acknowledgedDay, c.feedbackDay, c.closedDay, reportId],
  )

export const setAssignee = (tx: Connection, reportId: string, assigneeId: string | null) =>
  tx.run('UPDATE reports SET assignee_id = ? WHERE id = ?', [assigneeId, reportId])

/** A removed reviewer's cases go back to nobody. */
export const unassignAllOf = (tx: Connection, reviewerId: string) => tx.run('UPDATE reports SET assignee_id = NULL WHERE assignee_id = ?', [reviewerId])

export const markWithdrawalDeclined = (tx: Connection, reportId: string, day: string) =>
  tx.run('UPDATE reports SET withdrawal_requested_day = NULL, withdrawal_declined_day = ? WHERE id = ?', [day, reportId])
