/**
 * A sealed envelope as it is read from its column. Every envelope was checked when it arrived and
 * stored as JSON text, so a value that is not text or does not parse is a damaged row (only a
 * damaged disk could hold one). It is served as an envelope that opens for no one, whose body is
 * the stored text: every reader shows that one row as "could not be read", its link is the link of
 * what is stored (server/reports.server.ts, storedLink), so the thread around it still places, and
 * the rest of the page reads as before. Nothing is written back: an admin deletes the row.
 */
export function servedEnvelope(stored: unknown): string {
  if (typeof stored === 'string') {
    try {
      JSON.parse(stored)
      return stored
    } catch {
      return damaged(stored)
    }
  }
  return damaged(Buffer.isBuffer(stored) ? stored.toString('utf8') : String(stored))
}

/** The body is the stored text's UTF-8 bytes in unpadded base64url, the wire's one text form for bytes. */
const damaged = (text: string) => JSON.stringify({ v: 1, body: Buffer.from(text, 'utf8').toString('base64url'), inbox: '' })

/** The row with its envelope as served; for every query that reads the envelope column. */
export const served = <T extends { envelope: string } | undefined>(row: T): T => (row && { ...row, envelope: servedEnvelope(row.envelope) }) as T
