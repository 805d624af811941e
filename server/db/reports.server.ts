import type { Connection } from './connection.server'
import type { Params } from './connection.server'
import type { Store } from './store.server'

/**
 * Reports as the reporter's side reads and writes them; reviewers' case work is in cases.server.ts.
 * Envelopes are returned as stored; their readers parse them with readEnvelope (envelope-text.server.ts).
 */

export type ReportRow = {
  id: string
  inbox_id: string
  key_version: number
  envelope: string
  sign_pk: string
  self_note: string
  received_day: string
  status: string
  outcome: string | null
  withdrawal_requested_day: string | null
  withdrawal_declined_day: string | null
}

export type NewReport = {
  id: string
  inboxId: string
  keyVersion: number
  envelope: string
  locator: string
  signPk: string
  boxPk: string
  selfNote: string
  receivedDay: string
}

const INSERT_REPORT = `INSERT INTO reports (id, inbox_id, key_version, envelope, locator, sign_pk, box_pk, self_note, received_day)
           VALUES (?,?,?,?,?,?,?,?,?)`
const insertParams = (r: NewReport): Params => [r.id, r.inboxId, r.keyVersion, r.envelope, r.locator, r.signPk, r.boxPk, r.selfNote, r.receivedDay]

/** Inside the caller's transaction, when the report commits together with other writes. */
export const insertReport = (tx: Connection, r: NewReport) => tx.run(INSERT_REPORT, insertParams(r))

/**
 * On its own: one statement, so it can share a group commit with concurrent submissions; it
 * resolves only once its transaction is committed (see Store.groupRun).
 */
export const insertReportGrouped = (store: Store, r: NewReport) => store.groupRun(INSERT_REPORT, insertParams(r))

/** Signing in needs the id and key only: the envelope stays unread. */
export const reportByLocator = (conn: Connection, locator: string) =>
  conn.get<Pick<ReportRow, 'id' | 'sign_pk'>>('SELECT id, sign_pk FROM reports WHERE locator = ?', [locator])

export const reportById = (conn: Connection, id: string) => conn.get<ReportRow>('SELECT * FROM reports WHERE id = ?', [id])

export const inboxOfReport = (conn: Connection, id: string) => conn.get<{ inbox_id: string }>('SELECT inbox_id FROM reports WHERE id = ?', [id])

/** A reporter's request to withdraw clears an earlier decline. */
export const markWithdrawalRequested = (tx: Connection, id: string, day: string) =>
  tx.run('UPDATE reports SET withdrawal_requested_day = ?, withdrawal_declined_day = NULL WHERE id = ?', [day, id])

export const replaceSelfNote = (tx: Connection, id: string, selfNote: string) => tx.run('UPDATE reports SET self_note = ? WHERE id = ?', [selfNote, id])

/** Messages, read marks and blob rows go with it (ON DELETE CASCADE). */
export const deleteReportRow = (tx: Connection, id: string) => tx.run('DELETE FROM reports WHERE id = ?', [id])

/** Closed reports whose inbox's retention period ended on or before `today`. */
export const closedReportsDue = (conn: Connection, today: string) =>
  conn.all<{ id: string }>(
    `SELECT r.id FROM reports r JOIN inboxes i ON i.id = r.inbox_id
         WHERE r.status = 'closed' AND r.closed_day IS NOT NULL
           AND date(r.closed_day, '+' || i.retention_days || ' days') <= ?`,
    [today],
  )

/** The same test for one report, inside the transaction that deletes it. */
export const isClosedReportDue = async (tx: Connection, id: string, today: string) =>
  !!(await tx.get(
    `SELECT 1 AS x FROM reports r JOIN inboxes i ON i.id = r.inbox_id WHERE r.id = ? AND r.status = 'closed'
               AND date(r.closed_day, '+' || i.retention_days || ' days') <= ?`,
    [id, today],
  ))

/** Every report of an inbox, for opening them all offline (the admin CLI). */
export const reportsOfInbox = (conn: Connection, inboxId: string) =>
  conn.all<{ id: string; key_version: number; envelope: string; sign_pk: string; received_day: string; status: string }>(
    'SELECT id, key_version, envelope, sign_pk, received_day, status FROM reports WHERE inbox_id = ? ORDER BY received_day, id',
    [inboxId],
  )
