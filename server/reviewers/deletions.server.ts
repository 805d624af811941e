import { z } from 'zod'
import { appendAudit } from '../audit.server'
import { DELETE_REASON_IDS } from '#common/delete-reasons'
import { deleteMessageRow, insertGap, messageAt, pullBackReadMarks } from '../db/messages.server'
import { storedLink } from '../reports.server'
import type { Store } from '../db/store.server'
import { UserError } from '#common/errors'
import { deleteReportRows, type RetentionService } from '../retention.server'
import { parseInput } from '#common/wire'
import type { memberService } from './members.server'
import { reportFor, reportIdSchema } from './report-access.server'
import { recordedTrail } from './trail.server'

/**
 * An admin deleting a report or one message of a thread, for a reason from a fixed list. It is
 * for what nobody can read (ADR 0019), but the server cannot tell: it never decrypts, so this is
 * an admin power over any report or message of an inbox the admin belongs to, used from the rows
 * the browser found unreadable. The reason is kept in clear in the audit log, so it is a word
 * from a fixed list (common/delete-reasons.ts), never free text.
 */
const reason = z.enum(DELETE_REASON_IDS)
const reportSchema = z.strictObject({ reportId: reportIdSchema, reason })
const messageSchema = z.strictObject({ reportId: reportIdSchema, seq: z.number().int().min(1).max(1_000_000_000), reason })

export function deletionService(store: Store, members: ReturnType<typeof memberService>, retention: Pick<RetentionService, 'reclaim'>) {
  /** An admin, and (through reportFor) a member of the report's inbox: the same 403/404 as every reviewer action. */
  async function admin(reviewerId: string) {
    const me = await members.actor(reviewerId)
    if (me.role !== 'admin') throw new UserError(403, 'errors.cases.deleteAdminOnly')
    return me
  }

  return {
    /** The whole thread goes, as for an accepted withdrawal: rows with secure_delete, then files swept and the database rebuilt. */
    async deleteReport(reviewerId: string, raw: unknown) {
      await admin(reviewerId)
      const input = parseInput(reportSchema, raw)
      await store.transaction(async (tx) => {
        const { row } = await reportFor(tx, input.reportId, reviewerId)
        await deleteReportRows(tx, row.id, `reviewer:${reviewerId}`, input.reason)
      })
      await retention.reclaim()
      return { deleted: true }
    },

    /**
     * One message. Its files stay with the report until the report goes (the server cannot tell
     * which files a message named), unreadable without the message that held their keys.
     */
    async deleteMessage(reviewerId: string, raw: unknown) {
      const me = await admin(reviewerId)
      const input = parseInput(messageSchema, raw)
      const trail = await store.transaction(async (tx) => {
        const { row } = await reportFor(tx, input.reportId, reviewerId)
        const message = await messageAt(tx, row.id, input.seq)
        if (!message) throw new UserError(404, 'errors.cases.noMessage')
        await deleteMessageRow(tx, row.id, input.seq)
        // What the reporter sees keeps its link, so the message after it still finds its place.
        if (message.author_kind !== 'note') await insertGap(tx, row.id, input.seq, storedLink(message.envelope))
        // A deleted newest note gives its number to the next message: pull read marks back, so
        // that message still counts as unread for everyone.
        await pullBackReadMarks(tx, row.id)
        const recorded = await appendAudit(tx, {
          actor: `reviewer:${reviewerId}`,
          action: 'message.delete',
          subject: row.id,
          detail: { seq: input.seq, reason: input.reason },
        })
        return recordedTrail([recorded], me.display_name)
      })
      await retention.reclaim()
      return { deleted: true, trail }
    },
  }
}

export type DeletionService = ReturnType<typeof deletionService>
