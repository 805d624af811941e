import type { Connection } from './connection.server'

/**
 * Evidence blob rows: one per file under DATA_DIR/blobs. Unattached (report_id NULL) rows carry
 * the hash of their holder's token; attaching binds them to a report and drops the hash.
 */

export const blobForWriting = (conn: Connection, id: string) =>
  conn.get<{ token_hash: string | null; padded_size: number; received: number }>('SELECT token_hash, padded_size, received FROM blobs WHERE id = ?', [id])

/** An upload from the browser: ciphertext of `paddedSize` bytes to come. */
export const insertBlob = (tx: Connection, id: string, tokenHash: string, paddedSize: number, day: string) =>
  tx.run('INSERT INTO blobs (id, token_hash, padded_size, created_day) VALUES (?,?,?,?)', [id, tokenHash, paddedSize, day])

/** A no-JS upload, sized for the largest file until it is written. */
export const insertPlainBlob = (tx: Connection, id: string, tokenHash: string, paddedSize: number, day: string) =>
  tx.run('INSERT INTO blobs (id, token_hash, padded_size, created_day, plain) VALUES (?,?,?,?,1)', [id, tokenHash, paddedSize, day])

/** Never moves backwards: a retried piece leaves what was received as it was. */
export const markReceived = (tx: Connection, id: string, received: number) =>
  tx.run('UPDATE blobs SET received = MAX(received, ?) WHERE id = ?', [received, id])

export const setWritten = (tx: Connection, id: string, bytes: number) =>
  tx.run('UPDATE blobs SET padded_size = ?, received = ? WHERE id = ?', [bytes, bytes, id])

export const deleteUnattachedBlob = (tx: Connection, id: string) => tx.run('DELETE FROM blobs WHERE id = ? AND report_id IS NULL', [id])

export const deleteOwnUnattachedBlob = (tx: Connection, id: string, tokenHash: string) =>
  tx.run('DELETE FROM blobs WHERE id = ? AND token_hash = ? AND report_id IS NULL', [id, tokenHash])

export const deleteUnattachedBefore = (tx: Connection, day: string) => tx.run('DELETE FROM blobs WHERE report_id IS NULL AND created_day < ?', [day])

export const unattachedPlainBlobIds = (conn: Connection) => conn.all<{ id: string }>('SELECT id FROM blobs WHERE plain = 1 AND report_id IS NULL')

export const allBlobIds = (conn: Connection) => conn.all<{ id: string }>('SELECT id FROM blobs')

/** Whether the holder of this token could attach the upload now: unattached and complete. */
export const isAttachable = async (conn: Connection, id: string, tokenHash: string) =>
  !!(await conn.get<{ ok: number }>('SELECT 1 AS ok FROM blobs WHERE id = ? AND token_hash = ? AND report_id IS NULL AND received = padded_size', [
    id,
    tokenHash,
  ]))

/** Binds a complete, unattached upload to a report; its padded size if it did. */
export const attachBlob = (tx: Connection, id: string, tokenHash: string, reportId: string) =>
  tx.get<{ padded_size: number }>(
    `UPDATE blobs SET report_id = ?, token_hash = NULL
           WHERE id = ? AND token_hash = ? AND report_id IS NULL AND received = padded_size RETURNING padded_size`,
    [reportId, id, tokenHash],
  )

/** An attached blob with its report, and whether `reviewerId` is a live member of that report's inbox. */
export const blobForReading = (conn: Connection, id: string, reviewerId: string) =>
  conn.get<{ report_id: string; padded_size: number; member: number }>(
    `SELECT b.report_id, b.padded_size,
                EXISTS (SELECT 1 FROM inbox_members m JOIN reviewers v ON v.id = m.reviewer_id
                        WHERE m.inbox_id = r.inbox_id AND m.reviewer_id = ? AND v.removed_at IS NULL) AS member
         FROM blobs b JOIN reports r ON r.id = b.report_id WHERE b.id = ?`,
    [reviewerId, id],
  )

/** Bytes of unattached uploads begun on `day`: padded sizes, no-JS ones by what they received. */
export const unattachedBytesOn = async (conn: Pick<Connection, 'get'>, day: string) =>
  (
    await conn.get<{ n: number }>(
      'SELECT COALESCE(SUM(CASE WHEN plain = 1 THEN received ELSE padded_size END), 0) AS n FROM blobs WHERE report_id IS NULL AND created_day = ?',
      [day],
    )
  )?.n ?? 0
