import type { Connection } from './connection.server'

/** Reviewer accounts: who they are, their role, their public key and recovery wrap. */

export type Role = 'admin' | 'reviewer'

export type NewReviewer = {
  id: string
  displayName: string
  role: Role
  boxPk: string
  recoveryWrap: string
  recoveryLookup: string
  webauthnUserId: string
  at: string
}

/** A reviewer who has not been removed: every reviewer action starts by reading this. */
export const liveReviewer = (conn: Connection, id: string) =>
  conn.get<{ id: string; role: Role; display_name: string; box_pk: string }>(
    'SELECT id, role, display_name, box_pk FROM reviewers WHERE id = ? AND removed_at IS NULL',
    [id],
  )

export const isLiveReviewer = async (tx: Connection, id: string) => !!(await tx.get('SELECT 1 FROM reviewers WHERE id = ? AND removed_at IS NULL', [id]))

/** A reviewer's name whether or not they were removed: the trail still names who did what. */
export const reviewerName = (conn: Connection, id: string) => conn.get<{ display_name: string }>('SELECT display_name FROM reviewers WHERE id = ?', [id])

/** What enrolling another passkey for a live reviewer needs. */
export const enrolmentInfo = (conn: Connection, id: string) =>
  conn.get<{ display_name: string; webauthn_user_id: string; box_pk: string; recovery_wrap: string }>(
    'SELECT display_name, webauthn_user_id, box_pk, recovery_wrap FROM reviewers WHERE id = ? AND removed_at IS NULL',
    [id],
  )

export const liveReviewerByRecoveryLookup = (conn: Connection, lookupHash: string) =>
  conn.get<{ id: string }>('SELECT id FROM reviewers WHERE recovery_lookup = ? AND removed_at IS NULL', [lookupHash])

export const reviewerCount = async (conn: Connection) => (await conn.get<{ n: number }>('SELECT COUNT(*) AS n FROM reviewers'))?.n ?? 0

export const anyReviewer = async (conn: Connection) => !!(await conn.get('SELECT 1 AS x FROM reviewers LIMIT 1'))

/** Everyone, live ones first, by name. */
export const allReviewers = (conn: Connection) =>
  conn.all<{ id: string; display_name: string; role: string; removed_at: string | null }>(
    'SELECT id, display_name, role, removed_at FROM reviewers ORDER BY removed_at IS NOT NULL, display_name',
  )

export const insertReviewer = (tx: Connection, r: NewReviewer) =>
  tx.run('INSERT INTO reviewers (id, display_name, role, box_pk, recovery_wrap, recovery_lookup, webauthn_user_id, created_at) VALUES (?,?,?,?,?,?,?,?)', [
    r.id,
    r.displayName,
    r.role,
    r.boxPk,
    r.recoveryWrap,
    r.recoveryLookup,
    r.webauthnUserId,
    r.at,
  ])

/** Changes 1 row only if the reviewer was live. */
export const markRemoved = (tx: Connection, id: string, at: string) =>
  tx.run('UPDATE reviewers SET removed_at = ? WHERE id = ? AND removed_at IS NULL', [at, id])

export const replaceRecovery = (tx: Connection, id: string, recoveryWrap: string, recoveryLookup: string) =>
  tx.run('UPDATE reviewers SET recovery_wrap = ?, recovery_lookup = ? WHERE id = ?', [recoveryWrap, recoveryLookup, id])
