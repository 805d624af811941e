import type { Connection } from './connection.server'

/** The messages of a thread (replies, follow-ups and internal notes) and reviewers' read marks. */

export type MessageRow = { seq: number; author_kind: 'reporter' | 'reviewer' | 'note'; key_version: number; envelope: string; created_day: string }

export type NewMessage = { reportId: string; seq: number; author: MessageRow['author_kind']; keyVersion: number; envelope: string; day: string }

/** The highest seq of the report's thread, 0 if it has none; a deleted message keeps its number. */
export const lastSeq = async (tx: Connection, reportId: string) =>
  (
    await tx.get<{ n: number }>(
      `SELECT MAX(COALESCE((SELECT MAX(seq) FROM messages WHERE report_id = ?1), 0),
                  COALESCE((SELECT MAX(seq) FROM message_gaps WHERE report_id = ?1), 0)) AS n`,
      [reportId],
    )
  )?.n ?? 0

/** The newest entry of the thread a reporter sees: a message's envelope, or a deleted one's link. */
export const newestVisible = (conn: Connection, reportId: string) =>
  conn.get<{ envelope: string | null; link: string | null }>(
    `SELECT envelope, NULL AS link, seq FROM messages WHERE report_id = ?1 AND author_kind IN ('reporter', 'reviewer')
     UNION ALL SELECT NULL, link, seq FROM message_gaps WHERE report_id = ?1
     ORDER BY seq DESC LIMIT 1`,
    [reportId],
  )

/** Where deleted messages were, with their links. */
export const threadGaps = (conn: Connection, reportId: string) =>
  conn.all<{ seq: number; link: string }>('SELECT seq, link FROM message_gaps WHERE report_id = ? ORDER BY seq', [reportId])

export const insertGap = (tx: Connection, reportId: string, seq: number, link: string) =>
  tx.run('INSERT INTO message_gaps (report_id, seq, link) VALUES (?,?,?)', [reportId, seq, link])

/** One message, for what its deletion must keep. */
export const messageAt = (conn: Connection, reportId: string, seq: number) =>
  conn.get<MessageRow>('SELECT seq, author_kind, key_version, envelope, created_day FROM messages WHERE report_id = ? AND seq = ?', [reportId, seq])

export const insertMessageRow = (tx: Connection, m: NewMessage) =>
  tx.run('INSERT INTO messages (report_id, seq, author_kind, key_version, envelope, created_day) VALUES (?,?,?,?,?,?)', [
    m.reportId,
    m.seq,
    m.author,
    m.keyVersion,
    m.envelope,
    m.day,
  ])

/** The thread as a receipt holder may see it: replies and follow-ups, never internal notes. */
export const reporterMessages = (conn: Connection, reportId: string) =>
  conn.all<MessageRow & { author_kind: 'reporter' | 'reviewer' }>(
    `SELECT seq, author_kind, key_version, envelope, created_day FROM messages
         WHERE report_id = ? AND author_kind IN ('reporter', 'reviewer') ORDER BY seq`,
    [reportId],
  )

/** Every message of the thread, notes included, oldest first. */
export const allMessages = (conn: Connection, reportId: string) =>
  conn.all<MessageRow>('SELECT seq, author_kind, key_version, envelope, created_day FROM messages WHERE report_id = ? ORDER BY seq', [reportId])

export const deleteMessageRow = (tx: Connection, reportId: string, seq: number) =>
  tx.run('DELETE FROM messages WHERE report_id = ? AND seq = ?', [reportId, seq])

/** Marks everything up to `seq` as seen by this reviewer (never moves backwards). */
export const markSeen = (conn: Connection, reviewerId: string, reportId: string, seq: number) =>
  conn.run(
    `INSERT INTO report_reads (reviewer_id, report_id, seen_seq) VALUES (?,?,?)
       ON CONFLICT (reviewer_id, report_id) DO UPDATE SET seen_seq = MAX(seen_seq, excluded.seen_seq)`,
    [reviewerId, reportId, seq],
  )

/** Read marks past the thread's newest message come back to it, so a later message counts as unread. */
export const pullBackReadMarks = (tx: Connection, reportId: string) =>
  tx.run('UPDATE report_reads SET seen_seq = MIN(seen_seq, (SELECT COALESCE(MAX(seq), 0) FROM messages WHERE report_id = ?)) WHERE report_id = ?', [
    reportId,
    reportId,
  ])
