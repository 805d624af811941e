import type { Envelope } from '#crypto'

/**
 * A sealed envelope as it is read from its column, parsed once. Every envelope was checked when it
 * arrived and stored as JSON text, so a value that is not text or does not parse is a damaged row
 * (only a damaged disk could hold one). It reads as an envelope that opens for no one, whose body
 * is the stored text: every reader shows that one row as "could not be read", its link is the link
 * of what is stored (server/reports.server.ts, storedLink), so the thread around it still places,
 * and the rest of the page reads as before. Nothing is written back: an admin deletes the row.
 */
export function readEnvelope(stored: unknown): Envelope {
  if (typeof stored === 'string') {
    try {
      return JSON.parse(stored) as Envelope
    } catch {
      return damaged(stored)
    }
  }
  return damaged(Buffer.isBuffer(stored) ? stored.toString('utf8') : String(stored))
}

/** The body is the stored text's UTF-8 bytes in unpadded base64url, the wire's one text form for bytes. */
const damaged = (text: string): Envelope => ({ v: 1, body: Buffer.from(text, 'utf8').toString('base64url'), inbox: '' }) as Envelope
