import { createHash } from 'node:crypto'
import { z } from 'zod'
import { t, type Message } from '#common/i18n/message'
import type { Connection } from './db/connection.server'
import { auditHead, auditPageAfter, auditRows, insertAuditRow, type AuditRow as Row } from './db/audit.server'

/**
 * The append-only, hash-chained audit log (table audit_log, migrations/0003_audit.sql).
 *
 * Hash encoding (version 1): hash = lowercase hex SHA-256 of the UTF-8 bytes of
 *   JSON.stringify(['candour.audit.v1', seq, at, actor, action, subject ?? null, detail, prevHash])
 * where `detail` is the canonical detail text exactly as stored: a JSON object with its keys
 * sorted by code unit, no whitespace. A JSON array fixes the field order and escapes every string,
 * so no two different rows encode the same; the leading tag keeps these hashes from being mistaken
 * for any other SHA-256 we compute. The first row's prevHash is 64 zeros.
 *
 * The chain catches edits, deletions in the middle and reordering. It cannot by itself catch
 * the newest rows being cut off: compare the head hash `audit:verify` prints with one kept elsewhere.
 */

export type AuditEvent = {
  actor: string // 'operator' (CLI), 'system', or 'reviewer:<id>'
  action: string // e.g. 'inbox.create', 'reviewer.register', 'session.start'
  subject?: string // what it was done to: an inbox, reviewer or random report id (ADR 0010); NEVER reporter data
  detail?: Record<string, string | number | boolean>
}
export type AuditEntry = AuditEvent & { seq: number; at: string; prevHash: string; hash: string }
/** reason: a message, so `audit:verify` says it in the operator's language. */
export type AuditCheck = { ok: true; count: number; head: string } | { ok: false; count: number; badSeq: number; reason: Message }

export const GENESIS_HASH = '0'.repeat(64)

// Subjects and detail keys are id-shaped on purpose: free text is where reporter data could leak in.
const ID = /^[A-Za-z0-9_-]{1,64}$/
const eventSchema = z.strictObject({
  actor: z.string().regex(/^(operator|system|reviewer:[A-Za-z0-9_-]{1,64})$/, 'actor must be operator, system or reviewer:<id>'),
  action: z
    .string()
    .max(64)
    .regex(/^[a-z]+(\.[a-z-]+)+$/, 'action must look like "inbox.create"'),
  subject: z.string().regex(ID, 'subject must be an id (letters, digits, _ or -, at most 64)').optional(),
  detail: z
    .record(
      z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,39}$/, 'detail keys must be identifiers of at most 40 characters'),
      z.union([z.string().max(200), z.number().finite(), z.boolean()]),
    )
    .refine((d) => Object.keys(d).length <= 16, 'detail has at most 16 keys')
    .optional(),
})

/** JSON with object keys sorted, so the same detail always gives the same text (and hash). */
function canonicalDetail(detail: Record<string, string | number | boolean> = {}): string {
  const sorted = Object.keys(detail)
    .sort()
    .map((k) => [k, detail[k]])
  return JSON.stringify(Object.fromEntries(sorted))
}

function hashRow(r: Omit<Row, 'hash'>): string {
  const encoded = JSON.stringify(['candour.audit.v1', r.seq, r.at, r.actor, r.action, r.subject, r.detail, r.prev_hash])
  return createHash('sha256').update(encoded, 'utf8').digest('hex')
}

function toEntry(r: Row): AuditEntry {
  const detail = JSON.parse(r.detail) as Record<string, string | number | boolean>
  return {
    seq: r.seq,
    at: r.at,
    actor: r.actor,
    action: r.action,
    ...(r.subject === null ? {} : { subject: r.subject }),
    ...(Object.keys(detail).length ? { detail } : {}),
    prevHash: r.prev_hash,
    hash: r.hash,
  }
}

/** Appends inside the caller's transaction, so the event commits or rolls back with the change it records. */
export async function appendAudit(tx: Connection, event: AuditEvent, now: Date = new Date()): Promise<AuditEntry> {
  const parsed = eventSchema.safeParse(event)
  if (!parsed.success) throw new Error(`Bad audit event: ${z.prettifyError(parsed.error)}`)
  if (Number.isNaN(now.getTime())) throw new Error('Bad audit event: invalid time')
  // Safe without a lock of our own: Store runs one write transaction at a time (BEGIN IMMEDIATE),
  // so nobody can append between this read and the insert.
  const head = await auditHead(tx)
  const e = parsed.data
  const row: Omit<Row, 'hash'> = {
    seq: (head?.seq ?? 0) + 1,
    at: now.toISOString(),
    actor: e.actor,
    action: e.action,
    subject: e.subject ?? null,
    detail: canonicalDetail(e.detail),
    prev_hash: head?.hash ?? GENESIS_HASH,
  }
  const hash = hashRow(row)
  await insertAuditRow(tx, { ...row, hash })
  return toEntry({ ...row, hash })
}

/** Entries oldest first; with `limit`, only the newest `limit` of them (still oldest first). */
export async function readAudit(conn: Connection, filter: { subject?: string; limit?: number } = {}): Promise<AuditEntry[]> {
  const { subject, limit } = filter
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1)) throw new Error('limit must be a positive integer')
  return (await auditRows(conn, { subject, limit })).map(toEntry)
}

/** Rows verified per query, so a long log never sits in memory at once. */
const PAGE = 1000

/**
 * Walks the whole chain in seq order: seq must run 1, 2, 3… with no gaps, each prev_hash must be the
 * hash before it, and each hash must be what its fields give. Reports the first seq that fails.
 */
export async function verifyAudit(conn: Connection): Promise<AuditCheck> {
  let count = 0
  let prev = GENESIS_HASH
  for (;;) {
    const rows = await auditPageAfter(conn, count, PAGE)
    for (const r of rows) {
      const expected = count + 1
      const fail = (badSeq: number, reason: Message): AuditCheck => ({ ok: false, count, badSeq, reason })
      if (r.seq !== expected) return fail(expected, t('admin.audit.reason.missing', { seq: expected, next: r.seq }))
      if (r.prev_hash !== prev) return fail(r.seq, t('admin.audit.reason.unlinked', { seq: r.seq, previous: r.seq - 1 }))
      if (hashRow(r) !== r.hash) return fail(r.seq, t('admin.audit.reason.altered', { seq: r.seq }))
      prev = r.hash
      count = r.seq
    }
    if (rows.length < PAGE) return { ok: true, count, head: prev }
  }
}
