import { z } from 'zod'
import type { Connection } from '../db/connection.server'
import { UserError } from '#common/errors'
import { envelopeSchema } from '#common/wire'

/** The checks every reviewer action on a report starts with, and the shapes they share. */

export const reportIdSchema = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, 'unknown report')
export const keyVersionSchema = z.number().int().min(1).max(1_000_000)
// A note is for the inbox only: a reporter wrap would be a copy meant for someone else, so it is refused.
export const noteEnvelopeSchema = envelopeSchema.omit({ reporter: true })

export type ReportRow = {
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

const REPORT_COLUMNS = `id, inbox_id, key_version, envelope, received_day, status, assignee_id, acknowledged_day,
  feedback_day, closed_day, outcome, withdrawal_requested_day, withdrawal_declined_day`

/** The inbox, after checking the reviewer is a member of it (403 otherwise, 404 if there is none). */
export async function requireMember(conn: Connection, inboxId: string, reviewerId: string) {
  const inbox = await conn.get<{ name: string; current: number; retention_days: number }>(
    'SELECT name, retention_days, (SELECT MAX(key_version) FROM inbox_keys WHERE inbox_id = i.id) AS current FROM inboxes i WHERE id = ?',
    [inboxId],
  )
  if (!inbox) throw new UserError(404, 'That inbox does not exist.')
  const member = await conn.get('SELECT 1 AS x FROM inbox_members WHERE inbox_id = ? AND reviewer_id = ?', [inboxId, reviewerId])
  if (!member) throw new UserError(403, 'Only members of this inbox can read or answer its reports.')
  return inbox
}

/** The report, after checking the reviewer is a member of its inbox. */
export async function reportFor(conn: Connection, reportId: string, reviewerId: string) {
  const row = await conn.get<ReportRow>(`SELECT ${REPORT_COLUMNS} FROM reports WHERE id = ?`, [reportId])
  if (!row) throw new UserError(404, 'This report does not exist.')
  return { row, inbox: await requireMember(conn, row.inbox_id, reviewerId) }
}

/** The inbox's members, for assigning and for showing who a report is assigned to. */
export function inboxMembers(conn: Connection, inboxIds: string[]) {
  if (inboxIds.length === 0) return Promise.resolve([])
  return conn.all<{ id: string; display_name: string; inbox_id: string }>(
    `SELECT r.id, r.display_name, m.inbox_id FROM inbox_members m JOIN reviewers r ON r.id = m.reviewer_id
     WHERE r.removed_at IS NULL AND m.inbox_id IN (${inboxIds.map(() => '?').join(',')}) ORDER BY r.display_name`,
    inboxIds,
  )
}

/** The report's case fields as they stand now, for answering a change with the whole new state. */
export async function caseOf(conn: Connection, reportId: string) {
  const row = await conn.get<ReportRow>(`SELECT ${REPORT_COLUMNS} FROM reports WHERE id = ?`, [reportId])
  if (!row) throw new UserError(404, 'This report does not exist.')
  return caseFields(row)
}

/** Case fields every reviewer view of a report carries (days and ids; no content). */
export const caseFields = (r: ReportRow) => ({
  status: r.status,
  outcome: r.outcome,
  assigneeId: r.assignee_id,
  acknowledgedDay: r.acknowledged_day,
  feedbackDay: r.feedback_day,
  closedDay: r.closed_day,
  withdrawalRequestedDay: r.withdrawal_requested_day,
  withdrawalDeclinedDay: r.withdrawal_declined_day,
})
