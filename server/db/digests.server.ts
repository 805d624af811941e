import type { Connection } from './connection.server'

/** Reviewers' digest settings (ADR 0016), and the clear-text counts a digest is built from. */

export type DigestRow = { reviewer_id: string; email: string; every: 'hourly' | 'daily' | 'weekly'; last_sent_at: string | null; last_counts: string | null }

/** One row per report of each inbox the reviewer is a member of: days, status and read marks only. */
export type CountRow = {
  inbox_id: string
  status: string
  received_day: string
  acknowledged_day: string | null
  feedback_day: string | null
  closed_day: string | null
  retention_days: number
  never_opened: number
  new_messages: number
}

/** Reports and reporter messages count only from the day after they arrived (`today`). */
export const countRows = (conn: Connection, reviewerId: string, today: string) =>
  conn.all<CountRow>(
    `SELECT r.inbox_id, r.status, r.received_day, r.acknowledged_day, r.feedback_day, r.closed_day, i.retention_days,
              (rr.seen_seq IS NULL AND r.received_day < ?) AS never_opened,
              (rr.seen_seq IS NOT NULL AND EXISTS (SELECT 1 FROM messages m WHERE m.report_id = r.id
                 AND m.author_kind = 'reporter' AND m.seq > rr.seen_seq AND m.created_day < ?)) AS new_messages
       FROM reports r
       JOIN inboxes i ON i.id = r.inbox_id
       JOIN inbox_members im ON im.inbox_id = r.inbox_id AND im.reviewer_id = ?
       LEFT JOIN report_reads rr ON rr.report_id = r.id AND rr.reviewer_id = ?`,
    [today, today, reviewerId, reviewerId],
  )

export const digestOf = (conn: Connection, reviewerId: string) =>
  conn.get<Pick<DigestRow, 'email' | 'every' | 'last_sent_at'>>('SELECT email, every, last_sent_at FROM reviewer_digests WHERE reviewer_id = ?', [reviewerId])

export const deleteDigest = (tx: Connection, reviewerId: string) => tx.run('DELETE FROM reviewer_digests WHERE reviewer_id = ?', [reviewerId])

/** A new address has been sent nothing yet, so it forgets the last counts; the interval still counts from the last send. */
export const upsertDigest = (tx: Connection, reviewerId: string, email: string, every: DigestRow['every']) =>
  tx.run(
    `INSERT INTO reviewer_digests (reviewer_id, email, every) VALUES (?,?,?)
           ON CONFLICT (reviewer_id) DO UPDATE SET every = excluded.every, email = excluded.email,
             last_counts = CASE WHEN email = excluded.email THEN last_counts ELSE NULL END`,
    [reviewerId, email, every],
  )

/** Digests of live reviewers. */
export const liveDigests = (conn: Connection) =>
  conn.all<DigestRow>(
    `SELECT d.reviewer_id, d.email, d.every, d.last_sent_at, d.last_counts FROM reviewer_digests d
         JOIN reviewers r ON r.id = d.reviewer_id AND r.removed_at IS NULL`,
  )

export const anyRemovedReviewersDigest = async (conn: Connection) =>
  !!(await conn.get('SELECT 1 AS x FROM reviewer_digests d JOIN reviewers r ON r.id = d.reviewer_id WHERE r.removed_at IS NOT NULL'))

export const deleteRemovedReviewersDigests = (tx: Connection) =>
  tx.run('DELETE FROM reviewer_digests WHERE reviewer_id IN (SELECT id FROM reviewers WHERE removed_at IS NOT NULL)')

/** Only if the address is unchanged: a new one has been sent nothing yet. */
export const markDigestSent = (tx: Connection, reviewerId: string, email: string, at: string, counts: string) =>
  tx.run('UPDATE reviewer_digests SET last_sent_at = ?, last_counts = ? WHERE reviewer_id = ? AND email = ?', [at, counts, reviewerId, email])
