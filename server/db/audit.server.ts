import type { Connection } from './connection.server'

/** The audit_log table (migrations/0003_audit.sql); the hash chain itself is server/audit.server.ts. */

export type AuditRow = {
  seq: number
  at: string
  actor: string
  action: string
  subject: string | null
  detail: string
  prev_hash: string
  hash: string
}

export const auditHead = (tx: Connection) => tx.get<{ seq: number; hash: string }>('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1')

export const insertAuditRow = (tx: Connection, r: AuditRow) =>
  tx.run('INSERT INTO audit_log (seq, at, actor, action, subject, detail, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?)', [
    r.seq,
    r.at,
    r.actor,
    r.action,
    r.subject,
    r.detail,
    r.prev_hash,
    r.hash,
  ])

/** Oldest first; with `limit`, only the newest `limit` rows (still oldest first). */
export function auditRows(conn: Connection, { subject, limit }: { subject?: string; limit?: number }) {
  const where = subject === undefined ? '' : 'WHERE subject = ?'
  const params: unknown[] = subject === undefined ? [] : [subject]
  return conn.all<AuditRow>(
    `SELECT * FROM (SELECT * FROM audit_log ${where} ORDER BY seq DESC ${limit === undefined ? '' : 'LIMIT ?'}) ORDER BY seq`,
    limit === undefined ? params : [...params, limit],
  )
}

/** Up to `page` rows after `seq`, in seq order. */
export const auditPageAfter = (conn: Connection, seq: number, page: number) =>
  conn.all<AuditRow>('SELECT * FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?', [seq, page])
