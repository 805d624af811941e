import type { Connection } from './connection.server'

/** Reviewers' passkeys, each with the wrap of the reviewer's key it unlocks. */

export type Unlock = 'prf' | 'passphrase'

export type NewPasskey = {
  id: string
  reviewerId: string
  publicKey: string
  counter: number
  transports: string
  unlock: Unlock
  keyWrap: string
  passphraseSalt: string | null
  at: string
  lastUsedAt: string | null
}

/** `lastUsedAt` says whether enrolling also signed in (setup and recovery do). */
export const insertPasskey = (tx: Connection, p: NewPasskey) =>
  tx.run(
    `INSERT INTO passkeys (id, reviewer_id, public_key, counter, transports, unlock, key_wrap, passphrase_salt, created_at, last_used_at)
           VALUES (?,?,?,?,?,?,?,?,?,?)`,
    [p.id, p.reviewerId, p.publicKey, p.counter, p.transports, p.unlock, p.keyWrap, p.passphraseSalt, p.at, p.lastUsedAt],
  )

export const passkeyForKeyring = (conn: Connection, id: string, reviewerId: string) =>
  conn.get<{ id: string; unlock: Unlock; key_wrap: string; passphrase_salt: string | null }>(
    'SELECT id, unlock, key_wrap, passphrase_salt FROM passkeys WHERE id = ? AND reviewer_id = ?',
    [id, reviewerId],
  )

/** A passkey for sign-in, with whether its reviewer was removed. */
export const passkeyForSignIn = (conn: Connection, id: string) =>
  conn.get<{ id: string; reviewer_id: string; public_key: string; counter: number; transports: string; removed_at: string | null }>(
    `SELECT p.id, p.reviewer_id, p.public_key, p.counter, p.transports, r.removed_at
         FROM passkeys p JOIN reviewers r ON r.id = p.reviewer_id WHERE p.id = ?`,
    [id],
  )

export const markSignedIn = (tx: Connection, id: string, counter: number, at: string) =>
  tx.run('UPDATE passkeys SET counter = ?, last_used_at = ? WHERE id = ?', [counter, at, id])

export const markUsed = (tx: Connection, id: string, at: string) => tx.run('UPDATE passkeys SET last_used_at = ? WHERE id = ?', [at, id])

export const passkeyIdsOf = (conn: Connection, reviewerId: string) => conn.all<{ id: string }>('SELECT id FROM passkeys WHERE reviewer_id = ?', [reviewerId])

export const passkeysOf = (conn: Connection, reviewerId: string) =>
  conn.all<{ id: string; created_at: string; last_used_at: string | null; unlock: Unlock; transports: string }>(
    'SELECT id, created_at, last_used_at, unlock, transports FROM passkeys WHERE reviewer_id = ? ORDER BY created_at, id',
    [reviewerId],
  )

export const passkeyExists = async (tx: Connection, id: string) => !!(await tx.get('SELECT 1 FROM passkeys WHERE id = ?', [id]))

export const isOwnPasskey = async (tx: Connection, id: string, reviewerId: string) =>
  !!(await tx.get('SELECT 1 FROM passkeys WHERE id = ? AND reviewer_id = ?', [id, reviewerId]))

export const passkeyCount = async (tx: Connection, reviewerId: string) =>
  (await tx.get<{ n: number }>('SELECT COUNT(*) AS n FROM passkeys WHERE reviewer_id = ?', [reviewerId]))?.n ?? 0

export const deletePasskey = (tx: Connection, id: string, reviewerId: string) =>
  tx.run('DELETE FROM passkeys WHERE id = ? AND reviewer_id = ?', [id, reviewerId])

export const deletePasskeysOf = (tx: Connection, reviewerId: string) => tx.run('DELETE FROM passkeys WHERE reviewer_id = ?', [reviewerId])
