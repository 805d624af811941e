import { FEEDBACK_STATUSES, type Status } from '#common/triage-rules'
import { z } from 'zod'
import type { Envelope } from '#crypto'
import { readEnvelope } from '../db/envelope-text.server'
import { appendAudit, readAudit } from '../audit.server'
import type { Store } from '../db/store.server'
import { caseList, markAcknowledged, markFeedback } from '../db/cases.server'
import type { Connection } from '../db/connection.server'
import { memberInboxes } from '../db/inboxes.server'
import { liveMembersOf } from '../db/members.server'
import { allMessages, markSeen, threadGaps, type MessageRow } from '../db/messages.server'
import { UserError } from '#common/errors'
import { insertMessage, type StoredMessage } from '../reports.server'
import type { memberService } from './members.server'
import { reportPseudonym, reviewerPseudonym } from './pseudonyms.server'
import { recordedTrail, trailOf } from './trail.server'
import { caseFields, caseOf, keyVersionSchema, noteEnvelopeSchema, reportFor, reportIdSchema, requireMember } from './report-access.server'
import { today } from '#common/days'
import { attachmentsSchema, envelopeSchema, inboxIdSchema, parseInput, threadHeadSchema } from '#common/wire'
import type { Attachment, BlobService } from '../blobs.server'

/**
 * Reviewers reading and answering reports. The server hands out opaque envelopes and stores
 * opaque answers: it checks who asks (a live MEMBER of the report's inbox, on every call), the
 * envelope's shape and that it was sealed to the inbox's current key. Opening, replies and notes
 * are audited with the report id as subject, which is what the "who opened this" trail reads.
 */

const listSchema = z.strictObject({ inboxId: inboxIdSchema.optional() })
const openSchema = z.strictObject({ reportId: reportIdSchema })
const replySchema = z.strictObject({
  reportId: reportIdSchema,
  keyVersion: keyVersionSchema,
  envelope: envelopeSchema,
  files: attachmentsSchema,
  // Left out only by a writer from before chained threads.
  prev: threadHeadSchema.optional(),
})
const noteSchema = z.strictObject({ reportId: reportIdSchema, keyVersion: keyVersionSchema, envelope: noteEnvelopeSchema })

export function triageService(store: Store, members: ReturnType<typeof memberService>, blobs: Pick<BlobService, 'attach'>) {
  const toMessage = (m: MessageRow): StoredMessage => ({
    seq: m.seq,
    author: m.author_kind,
    keyVersion: m.key_version,
    envelope: readEnvelope(m.envelope),
    day: m.created_day,
  })

  /** Audit entries about the report, with the acting reviewers' names (this is a reviewer-only view). */
  const trail = async (conn: Connection, reportId: string) => trailOf(conn, await readAudit(conn, { subject: reportId }))

  /** A reply or note: validated, sealed to the current key, stored with its audit entry. */
  async function write(
    reviewerId: string,
    author: 'reviewer' | 'note',
    input: { reportId: string; keyVersion: number; envelope: Envelope; files?: Attachment[]; prev?: string },
  ) {
    const me = await members.actor(reviewerId)
    return store.transaction(async (tx) => {
      const { row, inbox } = await reportFor(tx, input.reportId, reviewerId)
      if (input.keyVersion !== inbox.current) throw new UserError(409, 'errors.cases.newerKeyResend')
      const message = await insertMessage(tx, row.id, author, input.keyVersion, input.envelope, input.prev)
      await blobs.attach(tx, row.id, input.files)
      await markSeen(tx, reviewerId, row.id, message.seq)
      const actor = `reviewer:${reviewerId}`
      const recorded = [
        await appendAudit(tx, { actor, action: author === 'note' ? 'report.note' : 'report.reply', subject: row.id, detail: { seq: message.seq } }),
      ]
      let status = row.status
      if (author === 'reviewer') {
        // A first reply is the acknowledgement the reporter is waiting for.
        if (status === 'received') {
          status = 'acknowledged'
          await markAcknowledged(tx, row.id, today())
          recorded.push(await appendAudit(tx, { actor, action: 'report.status', subject: row.id, detail: { from: 'received', to: status } }))
        } else if (!row.feedback_day && FEEDBACK_STATUSES.includes(status as Status)) {
          await markFeedback(tx, row.id, today())
        }
      }
      // The whole case as it now stands: a reply can stop either deadline's clock.
      return { message, status, case: await caseOf(tx, row.id), trail: recordedTrail(recorded, me.display_name) }
    })
  }

  return {
    /**
     * Reports as opaque rows, newest activity first, for the browser to open: one inbox, or every
     * inbox the reviewer belongs to. Case fields, members and unread marks come along, so the
     * page can filter and show deadlines without another request.
     */
    async list(reviewerId: string, raw: unknown) {
      const me = await members.actor(reviewerId)
      const { inboxId } = parseInput(listSchema, raw)
      if (inboxId) await requireMember(store.read, inboxId, reviewerId)
      const inboxes = await memberInboxes(store.read, reviewerId, inboxId)
      const ids = inboxes.map((i) => i.id)
      const rows = ids.length ? await caseList(store.read, reviewerId, ids) : []
      const reports = rows
        .map((r) => ({
          id: r.id,
          inboxId: r.inbox_id,
          pseudonym: reportPseudonym(r.id),
          keyVersion: r.key_version,
          envelope: readEnvelope(r.envelope),
          receivedDay: r.received_day,
          ...caseFields(r),
          messageCount: r.messages,
          lastActivityDay: r.last_day ?? r.received_day,
          unread: r.unread === 1,
        }))
        // Sorted here, not by the random id, so the order says nothing the days do not already say.
        .sort((a, b) => b.lastActivityDay.localeCompare(a.lastActivityDay) || a.pseudonym.localeCompare(b.pseudonym))
      // The browser is about to open every report listed: that is reading, so it is on record.
      // Without a count: counts in precisely timed entries would bracket when each report arrived.
      if (ids.length)
        await store.transaction(async (tx) => {
          for (const id of ids) await appendAudit(tx, { actor: `reviewer:${reviewerId}`, action: 'inbox.list', subject: id })
        })
      const people = new Map<string, { id: string; displayName: string; inboxIds: string[] }>()
      for (const m of await liveMembersOf(store.read, ids)) {
        const p = people.get(m.id) ?? { id: m.id, displayName: m.display_name, inboxIds: [] }
        p.inboxIds.push(m.inbox_id)
        people.set(m.id, p)
      }
      return {
        today: today(),
        me: { id: me.id, pseudonym: reviewerPseudonym(me.id), role: me.role },
        inboxes: inboxes.map((i) => ({ id: i.id, name: i.name, keyVersion: i.current, retentionDays: i.retention_days })),
        members: [...people.values()],
        reports,
      }
    },

    /** Opens one report for reading; every opening is recorded, and the trail returned includes it. */
    async open(reviewerId: string, raw: unknown) {
      const me = await members.actor(reviewerId)
      const { reportId } = parseInput(openSchema, raw)
      return store.transaction(async (tx) => {
        const { row, inbox } = await reportFor(tx, reportId, reviewerId)
        await appendAudit(tx, { actor: `reviewer:${reviewerId}`, action: 'report.open', subject: row.id })
        const messages = await allMessages(tx, row.id)
        await markSeen(tx, reviewerId, row.id, messages.at(-1)?.seq ?? 0)
        return {
          today: today(),
          report: {
            id: row.id,
            pseudonym: reportPseudonym(row.id),
            inboxId: row.inbox_id,
            inboxName: inbox.name,
            retentionDays: inbox.retention_days,
            keyVersion: row.key_version,
            envelope: readEnvelope(row.envelope),
            receivedDay: row.received_day,
            ...caseFields(row),
          },
          currentKeyVersion: inbox.current,
          me: { id: me.id, displayName: me.display_name, pseudonym: reviewerPseudonym(me.id), role: me.role },
          members: (await liveMembersOf(tx, [row.inbox_id])).map((m) => ({ id: m.id, displayName: m.display_name })),
          messages: messages.map(toMessage),
          deleted: await threadGaps(tx, row.id),
          trail: await trail(tx, row.id),
        }
      })
    },

    /** For page loaders: whether this reviewer may see the inbox or report at all (no audit: nothing is opened). */
    async mayRead(reviewerId: string, what: { inboxId: string } | { reportId: string }): Promise<boolean> {
      try {
        if ('inboxId' in what) await requireMember(store.read, what.inboxId, reviewerId)
        else await reportFor(store.read, what.reportId, reviewerId)
        return true
      } catch {
        return false
      }
    },

    reply: (reviewerId: string, raw: unknown) => write(reviewerId, 'reviewer', parseInput(replySchema, raw)),
    note: (reviewerId: string, raw: unknown) => write(reviewerId, 'note', parseInput(noteSchema, raw)),
  }
}

export type TriageService = ReturnType<typeof triageService>
