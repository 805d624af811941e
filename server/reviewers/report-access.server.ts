import { z } from 'zod'
import { caseRow, type CaseRow } from '../db/cases.server'
import type { Connection } from '../db/connection.server'
import { inboxForReviewers } from '../db/inboxes.server'
import { isMember } from '../db/members.server'
import { UserError } from '#common/errors'
import { envelopeSchema } from '#common/wire'

/** The checks every reviewer action on a report starts with, and the shapes they share. */

export const reportIdSchema = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, 'unknown report')
export const keyVersionSchema = z.number().int().min(1).max(1_000_000)
// A note is for the inbox only: a reporter wrap would be a copy meant for someone else, so it is refused.
export const noteEnvelopeSchema = envelopeSchema.omit({ reporter: true })

/** The inbox, after checking the reviewer is a member of it (403 otherwise, 404 if there is none). */
export async function requireMember(conn: Connection, inboxId: string, reviewerId: string) {
  const inbox = await inboxForReviewers(conn, inboxId)
  if (!inbox) throw new UserError(404, 'errors.inboxes.notFound')
  if (!(await isMember(conn, inboxId, reviewerId))) throw new UserError(403, 'errors.cases.membersOnly')
  return inbox
}

/** The report, after checking the reviewer is a member of its inbox. */
export async function reportFor(conn: Connection, reportId: string, reviewerId: string) {
  const row = await caseRow(conn, reportId)
  if (!row) throw new UserError(404, 'errors.cases.noReport')
  return { row, inbox: await requireMember(conn, row.inbox_id, reviewerId) }
}

/** The report's case fields as they stand now, for answering a change with the whole new state. */
export async function caseOf(conn: Connection, reportId: string) {
  const row = await caseRow(conn, reportId)
  if (!row) throw new UserError(404, 'errors.cases.noReport')
  return caseFields(row)
}

/** Case fields every reviewer view of a report carries (days and ids; no content). */
export const caseFields = (r: CaseRow) => ({
  status: r.status,
  outcome: r.outcome,
  assigneeId: r.assignee_id,
  acknowledgedDay: r.acknowledged_day,
  feedbackDay: r.feedback_day,
  closedDay: r.closed_day,
  withdrawalRequestedDay: r.withdrawal_requested_day,
  withdrawalDeclinedDay: r.withdrawal_declined_day,
})
