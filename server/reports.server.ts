import { linkOf, type Envelope, type WireThread } from '#crypto'
import type { Store } from './db/store.server'
import type { Connection } from './db/connection.server'
import { insertMessageRow, lastSeq, newestVisible, reporterMessages, threadGaps } from './db/messages.server'
import {
  inboxOfReport,
  insertReport,
  insertReportGrouped,
  markWithdrawalRequested,
  replaceSelfNote,
  reportById,
  reportByLocator,
  type ReportRow,
} from './db/reports.server'
import { isUniqueViolation } from './db/store.server'
import { readEnvelope } from './db/envelope-text.server'
import { today } from '#common/days'
import { UserError } from '#common/errors'
import type { Attachment, BlobService } from './blobs.server'
import type { FollowupBudgets, SessionSpend } from './budgets.server'
import type { InboxService } from './inboxes.server'
import { followupRequestSchema, parseInput, sealedReportSchema, selfNoteRequestSchema } from '#common/wire'

/** Also for a withdrawn report: once reviewers agree, it is deleted and its code matches nothing. */
export const noSuchReport = () => new UserError(404, 'errors.reports.noMatch')

/** Where a reporter's request to withdraw stands, as they are shown it. */
export type Withdrawal = 'requested' | 'declined' | null
const withdrawalState = (r: ReportRow): Withdrawal => (r.withdrawal_requested_day ? 'requested' : r.withdrawal_declined_day ? 'declined' : null)

export type MessageAuthor = 'reporter' | 'reviewer' | 'note'
export type StoredMessage = { seq: number; author: MessageAuthor; keyVersion: number; envelope: Envelope; day: string }

/**
 * The link a message written now must follow: the newest the reporter can see, or the report.
 * The server never reads what a message says about its place; it refuses a writer that did not
 * see the newest message, so two reviewers writing at once do not fork the thread.
 */
async function threadHead(tx: Connection, reportId: string): Promise<string> {
  const newest = await newestVisible(tx, reportId)
  if (newest) return newest.link ?? storedLink(newest.envelope!)
  const row = await reportById(tx, reportId)
  return storedLink(row!.envelope)
}

/**
 * The link of a stored envelope, as every reader computes it from the envelope it is served. A
 * damaged row is served with its stored text as its body (db/envelope-text.server.ts), so it is
 * linked by that text and the thread around it still answers: a writer on that link goes on, one
 * on any other is refused, and an admin can delete the row.
 */
export const storedLink = (text: string): string => linkOf(readEnvelope(text))

/**
 * Appends one message inside the caller's transaction (so a reviewer's reply commits with its
 * audit entry). The next seq is read in the same transaction; the date is kept to the day. `prev`
 * is the head its writer extended: internal notes, outside the reporter's thread, have none.
 */
export async function insertMessage(
  tx: Connection,
  reportId: string,
  author: MessageAuthor,
  keyVersion: number,
  env: Envelope,
  prev?: string,
): Promise<StoredMessage> {
  if (prev !== undefined && prev !== (await threadHead(tx, reportId))) throw new UserError(409, 'errors.thread.behind')
  const message = { seq: (await lastSeq(tx, reportId)) + 1, author, keyVersion, envelope: env, day: today() }
  await insertMessageRow(tx, { reportId, seq: message.seq, author, keyVersion, envelope: JSON.stringify(env), day: message.day })
  return message
}

export function reportService(
  store: Store,
  inboxes: InboxService,
  blobs: Pick<BlobService, 'attach' | 'forReading'>,
  budgets?: Pick<FollowupBudgets, 'spend'>,
) {
  // Concurrent requests for the same inbox share the lookup already in flight. Under load the
  // submit path was spending ~8 % of the main thread in node-sqlite3 creating and finalizing
  // one statement per request; the answer is no older than a lookup started a moment before.
  const lookups = new Map<string, ReturnType<InboxService['get']>>()
  async function currentKey(inboxId: string) {
    let lookup = lookups.get(inboxId)
    if (!lookup) {
      lookup = inboxes.get(inboxId).finally(() => lookups.delete(inboxId))
      lookups.set(inboxId, lookup)
    }
    const inbox = await lookup
    if (!inbox) throw new UserError(404, 'errors.reports.noInbox')
    return inbox
  }

  async function byLocator(locator: string) {
    return reportByLocator(store.read, locator)
  }

  /**
   * A reporter's follow-up: the message, its files bound to the report, and its cost charged to
   * the session and the report's day (decision 20), all in one transaction. The charge comes
   * after the checks, so a refused message costs nothing, and is refunded if nothing is stored.
   */
  async function appendMessage(reportId: string, m: { keyVersion: number; envelope: Envelope; prev?: string }, files?: Attachment[], session?: SessionSpend) {
    const env = m.envelope
    let refund: (() => void) | undefined
    try {
      return await store.transaction(async (tx) => {
        const message = await insertMessage(tx, reportId, 'reporter', m.keyVersion, env, m.prev)
        const fileBytes = await blobs.attach(tx, reportId, files)
        refund = budgets?.spend(reportId, session, JSON.stringify(env).length + fileBytes)
        return message
      })
    } catch (err) {
      refund?.()
      throw err
    }
  }

  const service = {
    /** Stores a report sealed in the browser. Only shapes and sizes are checked: content is opaque. */
    async submitSealed(raw: unknown): Promise<{ receivedDay: string }> {
      const input = parseInput(sealedReportSchema, raw)
      const inbox = await currentKey(input.inboxId)
      if (input.keyVersion !== inbox.current.keyVersion) throw new UserError(409, 'errors.reports.newerKeySend')
      const receivedDay = today()
      const id = input.reportId
      const row = {
        id,
        inboxId: input.inboxId,
        keyVersion: input.keyVersion,
        envelope: JSON.stringify(input.envelope),
        locator: input.locator,
        signPk: input.signPk,
        boxPk: input.boxPk,
        selfNote: input.selfNote,
        receivedDay,
      }
      try {
        if (input.files?.length)
          // With files the report and their attachment commit together, or not at all.
          await store.transaction(async (tx) => {
            await insertReport(tx, row)
            await blobs.attach(tx, id, input.files)
          })
        // One statement, so it can share a group commit with concurrent submissions; it
        // resolves only once its transaction is committed (see Store.groupRun).
        else await insertReportGrouped(store, row)
      } catch (err) {
        // A random id taken twice is a browser that reused one, not a receipt in use.
        if (isUniqueViolation(err)) throw new UserError(409, /reports\.id/.test(String(err)) ? 'errors.reports.idTaken' : 'errors.reports.receiptTaken')
        throw err
      }
      return { receivedDay }
    },

    async reportIdForLogin(locator: string): Promise<{ id: string; signPk: string } | undefined> {
      const row = await byLocator(locator)
      return row && { id: row.id, signPk: row.sign_pk }
    },

    /** Everything a receipt holder may fetch: opaque, without internal notes. */
    async wireThread(
      reportId: string,
    ): Promise<WireThread & { inboxId: string; outcome: string | null; withdrawal: Withdrawal; withdrawalRequestedDay: string | null }> {
      const row = await reportById(store.read, reportId)
      if (!row) throw new UserError(404, 'errors.reports.gone')
      const messages = await reporterMessages(store.read, reportId)
      return {
        reportId,
        inboxId: row.inbox_id,
        receivedDay: row.received_day,
        status: row.status,
        outcome: row.outcome,
        withdrawal: withdrawalState(row),
        withdrawalRequestedDay: row.withdrawal_requested_day,
        envelope: readEnvelope(row.envelope),
        selfNote: row.self_note,
        keys: await inboxes.keys(row.inbox_id),
        log: await inboxes.log(row.inbox_id),
        messages: messages.map((m) => ({
          seq: m.seq,
          author: m.author_kind,
          keyVersion: m.key_version,
          envelope: readEnvelope(m.envelope),
          day: m.created_day,
        })),
        deleted: await threadGaps(store.read, reportId),
      }
    },

    /** A follow-up sealed in the browser, for the report the session is bound to. */
    async addFollowupSealed(reportId: string, raw: unknown, session?: SessionSpend): Promise<void> {
      const input = parseInput(followupRequestSchema, raw)
      const row = await inboxOfReport(store.read, reportId)
      if (!row) throw new UserError(404, 'errors.reports.gone')
      const inbox = await currentKey(row.inbox_id)
      if (input.keyVersion !== inbox.current.keyVersion) throw new UserError(409, 'errors.reports.newerKeyResend')
      await appendMessage(reportId, input, input.files, session)
    },

    /**
     * The reporter asks for the report to be withdrawn; reviewers decide. Asking again after a
     * decline is allowed: circumstances change.
     */
    async requestWithdrawal(reportId: string): Promise<{ withdrawal: Withdrawal }> {
      const { changes } = await store.transaction((tx) => markWithdrawalRequested(tx, reportId, today()))
      if (!changes) throw new UserError(404, 'errors.reports.gone')
      return { withdrawal: 'requested' }
    },

    /**
     * The reporter's browser records a newer verified state. The server cannot read the note, so it
     * cannot check that it is newer; what a server that serves an older one back can and cannot
     * hide is in docs/protocol.md, section 5.3.
     */
    async replaceSelfNote(reportId: string, raw: unknown): Promise<{ replaced: true }> {
      const { selfNote } = parseInput(selfNoteRequestSchema, raw)
      const { changes } = await store.transaction((tx) => replaceSelfNote(tx, reportId, selfNote))
      if (!changes) throw new UserError(404, 'errors.reports.gone')
      return { replaced: true }
    },

    /** The inbox key a report is sealed to now: the no-JS path seals with it on the server. */
    sealingKey: currentKey,

    /** A follow-up sealed on the server from the no-JS form, stored as the JS path stores its own. */
    async addFollowupPlain(reportId: string, m: { keyVersion: number; envelope: Envelope; prev: string }, files: Attachment[]): Promise<void> {
      await appendMessage(reportId, m, files)
    },
  }
  return service
}

export type ReportService = ReturnType<typeof reportService>
