import type { Connection } from './connection.server'

/** Reviewers' pins of inbox identity keys (ADR 0021). */

export const pinsOf = (conn: Connection, reviewerId: string) =>
  conn.all<{ inbox_id: string; sign_pk: string; pin: string }>('SELECT inbox_id, sign_pk, pin FROM inbox_pins WHERE reviewer_id = ? ORDER BY inbox_id', [
    reviewerId,
  ])

export const pinOf = (tx: Connection, reviewerId: string, inboxId: string) =>
  tx.get<{ sign_pk: string; pin: string }>('SELECT sign_pk, pin FROM inbox_pins WHERE reviewer_id = ? AND inbox_id = ?', [reviewerId, inboxId])

export const insertPin = (tx: Connection, p: { reviewerId: string; inboxId: string; signPk: string; pin: string; at: string }) =>
  tx.run('INSERT INTO inbox_pins (reviewer_id, inbox_id, sign_pk, pin, created_at) VALUES (?,?,?,?,?)', [p.reviewerId, p.inboxId, p.signPk, p.pin, p.at])
