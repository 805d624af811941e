import type { Connection } from './connection.server'
import type { Role } from './reviewers.server'

/** Admins' invitations (only a hash of each token) and the inboxes each names; setup links too. */

export type InviteRow = { token_hash: string; display_name: string; role: Role; expires_at: string; used_at: string | null }

export const inviteByHash = (conn: Connection, tokenHash: string) => conn.get<InviteRow>('SELECT * FROM invites WHERE token_hash = ?', [tokenHash])

export const inboxesOfInvite = (conn: Connection, tokenHash: string) =>
  conn.all<{ id: string; name: string }>(
    'SELECT i.id, i.name FROM invite_inboxes x JOIN inboxes i ON i.id = x.inbox_id WHERE x.token_hash = ? ORDER BY i.name',
    [tokenHash],
  )

export const insertInvite = (tx: Connection, i: { tokenHash: string; displayName: string; role: Role; createdBy: string; at: string; expiresAt: string }) =>
  tx.run('INSERT INTO invites (token_hash, display_name, role, created_by, created_at, expires_at) VALUES (?,?,?,?,?,?)', [
    i.tokenHash,
    i.displayName,
    i.role,
    i.createdBy,
    i.at,
    i.expiresAt,
  ])

export const insertInviteInbox = (tx: Connection, tokenHash: string, inboxId: string) =>
  tx.run('INSERT INTO invite_inboxes (token_hash, inbox_id) VALUES (?,?)', [tokenHash, inboxId])

/** Changes 1 row only if the invite was unused and unexpired at `at`. */
export const markInviteUsed = (tx: Connection, tokenHash: string, at: string) =>
  tx.run('UPDATE invites SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at >= ?', [at, tokenHash, at])

export const insertSetupToken = (tx: Connection, tokenHash: string, expiresAt: string) =>
  tx.run('INSERT INTO setup_tokens (token_hash, expires_at) VALUES (?, ?)', [tokenHash, expiresAt])

export const setupTokenByHash = (conn: Connection, tokenHash: string) =>
  conn.get<{ expires_at: string; used_at: string | null }>('SELECT expires_at, used_at FROM setup_tokens WHERE token_hash = ?', [tokenHash])

/** Changes 1 row only if the link was unused. */
export const markSetupTokenUsed = (tx: Connection, tokenHash: string, at: string) =>
  tx.run('UPDATE setup_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL', [at, tokenHash])
