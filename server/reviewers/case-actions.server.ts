import { z } from 'zod'
import type { Envelope } from '#crypto'
import { appendAudit } from '../audit.server'
import { markWithdrawalDeclined, setAssignee, setCaseStatus } from '../db/cases.server'
import { setRetentionDays } from '../db/inboxes.server'
import { isLiveMember } from '../db/members.server'
import type { Store } from '../db/store.server'
import { today } from '#common/days'
import { UserError, type ErrorKey } from '#common/errors'
import { insertMessage } from '../reports.server'
import { deleteReportRows, type RetentionService } from '../retention.server'
import { canMove, OUTCOMES, RETENTION, STATUSES, type Status } from '#common/triage-rules'
import { envelopeSchema, inboxIdSchema, parseInput, threadHeadSchema } from '#common/wire'
import type { memberService } from './members.server'
import { recordedTrail } from './trail.server'
import { caseOf, keyVersionSchema, noteEnvelopeSchema, reportFor, reportIdSchema } from './report-access.server'

/**
 * What reviewers decide about a report: its status (with a reason sealed as an internal note, so
 * the server keeps the decision but never the words), who handles it, exports for the case file,
 * and a reporter's request to withdraw. Each is audited with the report id as subject.
 */

const reviewerIdSchema = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, 'unknown reviewer')
const statusSchema = z
  .strictObject({
    reportId: reportIdSchema,
    to: z.enum(STATUSES),
    outcome: z.enum(OUTCOMES).optional(),
    keyVersion: keyVersionSchema.optional(),
    reason: noteEnvelopeSchema.optional(),
    // The change as the reporter sees it, signed in the reviewer's browser and placed in the thread.
    signed: z.strictObject({ envelope: envelopeSchema, prev: threadHeadSchema }).optional(),
  })
  .refine((s) => (s.reason === undefined && s.signed === undefined) || s.keyVersion !== undefined, 'a sealed message needs its key version')
  .refine((s) => s.keyVersion === undefined || s.reason !== undefined || s.signed !== undefined, 'a key version names what was sealed with it')
/** A status as a refusal names it mid-sentence, nested into the message in its language. */
const STATUS_WORDS: Record<Status, ErrorKey> = {
  received: 'errors.cases.statuses.received',
  acknowledged: 'errors.cases.statuses.acknowledged',
  assessing: 'errors.cases.statuses.assessing',
  investigating: 'errors.cases.statuses.investigating',
  referred: 'errors.cases.statuses.referred',
  closed: 'errors.cases.statuses.closed',
}
const assignSchema = z.strictObject({ reportId: reportIdSchema, assigneeId: reviewerIdSchema.nullable() })
const exportSchema = z.strictObject({ reportId: reportIdSchema })
const withdrawalSchema = z.strictObject({ reportId: reportIdSchema, decision: z.enum(['accept', 'decline']) })
const retentionSchema = z.strictObject({ inboxId: inboxIdSchema, days: z.number().int().min(RETENTION.minDays).max(RETENTION.maxDays) })

export function caseActions(store: Store, members: ReturnType<typeof memberService>, retention: RetentionService) {
  return {
    async setStatus(reviewerId: string, raw: unknown) {
      const me = await members.actor(reviewerId)
      const input = parseInput(statusSchema, raw)
      return store.transaction(async (tx) => {
        const { row, inbox } = await reportFor(tx, input.reportId, reviewerId)
        const from = row.status as Status
        if (!canMove(from, input.to)) throw new UserError(409, 'errors.cases.cannotMove', { values: { from: STATUS_WORDS[from], to: STATUS_WORDS[input.to] } })
        if (input.to === 'closed' && !input.outcome) throw new UserError(400, 'errors.cases.needOutcome')
        if (input.to !== 'closed' && input.outcome) throw new UserError(400, 'errors.cases.outcomeOnlyClosing')
        // Acknowledging needs no reason: it only tells the reporter someone has read it.
        if (input.to !== 'acknowledged' && !input.reason) throw new UserError(400, 'errors.cases.needReason')
        let seq: number | undefined
        if (input.keyVersion !== undefined && input.keyVersion !== inbox.current) throw new UserError(409, 'errors.cases.newerKeyRetry')
        const message = input.signed ? await insertMessage(tx, row.id, 'reviewer', input.keyVersion!, input.signed.envelope, input.signed.prev) : null
        if (input.reason) seq = (await insertMessage(tx, row.id, 'note', input.keyVersion!, input.reason as Envelope)).seq
        const day = today()
        // Closing tells the reporter the outcome, which is feedback: recorded as such, so reopening
        // (which clears closed_day) does not turn a deadline met on time into an overdue one.
        await setCaseStatus(tx, row.id, {
          status: input.to,
          outcome: input.outcome ?? null,
          acknowledgedDay: input.to === 'acknowledged' ? day : null,
          feedbackDay: input.to === 'closed' ? day : null,
          closedDay: input.to === 'closed' ? day : null,
        })
        const detail: Record<string, string | number> = { from, to: input.to }
        if (input.outcome) detail.outcome = input.outcome
        if (seq) detail.seq = seq
        const recorded = await appendAudit(tx, { actor: `reviewer:${reviewerId}`, action: 'report.status', subject: row.id, detail })
        return {
          trail: recordedTrail([recorded], me.display_name),
          status: input.to,
          outcome: input.outcome ?? null,
          closedDay: input.to === 'closed' ? day : null,
          noteSeq: seq ?? null,
          message,
          case: await caseOf(tx, row.id),
        }
      })
    },

    async assign(reviewerId: string, raw: unknown) {
      const me = await members.actor(reviewerId)
      const input = parseInput(assignSchema, raw)
      return store.transaction(async (tx) => {
        const { row } = await reportFor(tx, input.reportId, reviewerId)
        if (input.assigneeId) {
          if (!(await isLiveMember(tx, row.inbox_id, input.assigneeId))) throw new UserError(400, 'errors.cases.assignMember')
        }
        await setAssignee(tx, row.id, input.assigneeId)
        const recorded = await appendAudit(tx, {
          actor: `reviewer:${reviewerId}`,
          action: 'report.assign',
          subject: row.id,
          detail: { to: input.assigneeId ?? 'nobody' },
        })
        return { assigneeId: input.assigneeId, case: await caseOf(tx, row.id), trail: recordedTrail([recorded], me.display_name) }
      })
    },

    /** Recorded before the browser builds the case-file copy, so every export is in the trail. */
    async recordExport(reviewerId: string, raw: unknown) {
      const me = await members.actor(reviewerId)
      const input = parseInput(exportSchema, raw)
      return store.transaction(async (tx) => {
        const { row } = await reportFor(tx, input.reportId, reviewerId)
        const recorded = await appendAudit(tx, { actor: `reviewer:${reviewerId}`, action: 'report.export', subject: row.id })
        return { at: recorded.at, trail: recordedTrail([recorded], me.display_name) }
      })
    },

    /** Accepting deletes the whole thread for good; declining tells the reporter it was declined. */
    async decideWithdrawal(reviewerId: string, raw: unknown) {
      const me = await members.actor(reviewerId)
      const input = parseInput(withdrawalSchema, raw)
      const result = await store.transaction(async (tx) => {
        const { row } = await reportFor(tx, input.reportId, reviewerId)
        if (!row.withdrawal_requested_day) throw new UserError(409, 'errors.cases.noWithdrawal')
        const actor = `reviewer:${reviewerId}`
        if (input.decision === 'accept') {
          await deleteReportRows(tx, row.id, actor, 'withdrawn')
          return { deleted: true }
        }
        await markWithdrawalDeclined(tx, row.id, today())
        const recorded = await appendAudit(tx, { actor, action: 'report.withdrawal-declined', subject: row.id })
        return { deleted: false, case: await caseOf(tx, row.id), trail: recordedTrail([recorded], me.display_name) }
      })
      if (result.deleted) await retention.reclaim()
      return result
    },

    /** How long an inbox keeps closed reports. Admins only: it is policy, not casework. */
    async setRetention(reviewerId: string, raw: unknown) {
      const me = await members.actor(reviewerId)
      if (me.role !== 'admin') throw new UserError(403, 'errors.cases.retentionAdminOnly')
      const input = parseInput(retentionSchema, raw)
      return store.transaction(async (tx) => {
        const { changes } = await setRetentionDays(tx, input.inboxId, input.days)
        if (!changes) throw new UserError(404, 'errors.inboxes.notFound')
        await appendAudit(tx, { actor: `reviewer:${reviewerId}`, action: 'inbox.retention', subject: input.inboxId, detail: { days: input.days } })
        return { inboxId: input.inboxId, days: input.days }
      })
    },
  }
}

export type CaseActions = ReturnType<typeof caseActions>
