import type { Connection } from './connection.server'

/** Who belongs to which inbox, who asked to join, and inboxes whose key must rotate. */

export const isMember = async (conn: Connection, inboxId: string, reviewerId: string) =>
  !!(await conn.get('SELECT 1 AS x FROM inbox_members WHERE inbox_id = ? AND reviewer_id = ?', [inboxId, reviewerId]))

/** A member who has not been removed: someone a report may be assigned to. */
export const isLiveMember = async (conn: Connection, inboxId: string, reviewerId: string) =>
  !!(await conn.get(
    `SELECT 1 AS x FROM inbox_members m JOIN reviewers r ON r.id = m.reviewer_id
             WHERE m.inbox_id = ? AND m.reviewer_id = ? AND r.removed_at IS NULL`,
    [inboxId, reviewerId],
  ))

export const insertMember = (tx: Connection, inboxId: string, reviewerId: string, at: string) =>
  tx.run('INSERT INTO inbox_members (inbox_id, reviewer_id, added_at) VALUES (?,?,?)', [inboxId, reviewerId, at])

/** Live members of these inboxes, by display name. */
export function liveMembersOf(conn: Connection, inboxIds: string[]) {
  if (inboxIds.length === 0) return Promise.resolve([])
  return conn.all<{ id: string; display_name: string; inbox_id: string }>(
    `SELECT r.id, r.display_name, m.inbox_id FROM inbox_members m JOIN reviewers r ON r.id = m.reviewer_id
     WHERE r.removed_at IS NULL AND m.inbox_id IN (${inboxIds.map(() => '?').join(',')}) ORDER BY r.display_name`,
    inboxIds,
  )
}

/** Live members' reviewer keys, by id: who a new key version is sealed to. */
export const liveMemberKeys = (conn: Connection, inboxId: string) =>
  conn.all<{ reviewerId: string; boxPk: string }>(
    `SELECT r.id AS reviewerId, r.box_pk AS boxPk FROM inbox_members m JOIN reviewers r ON r.id = m.reviewer_id
           WHERE m.inbox_id = ? AND r.removed_at IS NULL ORDER BY r.id`,
    [inboxId],
  )

/** Every member's id, removed or not, in order. */
export const memberIds = async (tx: Connection, inboxId: string) =>
  (await tx.all<{ id: string }>('SELECT reviewer_id AS id FROM inbox_members WHERE inbox_id = ? ORDER BY reviewer_id', [inboxId])).map((m) => m.id)

export const inboxIdsOfMember = (tx: Connection, reviewerId: string) =>
  tx.all<{ inbox_id: string }>('SELECT inbox_id FROM inbox_members WHERE reviewer_id = ?', [reviewerId])

export const deleteMembershipsOf = (tx: Connection, reviewerId: string) => tx.run('DELETE FROM inbox_members WHERE reviewer_id = ?', [reviewerId])

/** Pending requests for inboxes the viewer is a member of, oldest first. */
export const requestsToDecide = (conn: Connection, viewerId: string) =>
  conn.all<{ inbox_id: string; inbox_name: string; reviewer_id: string; display_name: string; box_pk: string; requested_at: string }>(
    `SELECT q.inbox_id, i.name AS inbox_name, q.reviewer_id, r.display_name, r.box_pk, q.requested_at
         FROM membership_requests q JOIN inboxes i ON i.id = q.inbox_id JOIN reviewers r ON r.id = q.reviewer_id
         JOIN inbox_members m ON m.inbox_id = q.inbox_id AND m.reviewer_id = ?
         WHERE q.decided IS NULL AND r.removed_at IS NULL ORDER BY q.requested_at`,
    [viewerId],
  )

/** Names of the inboxes the viewer is still waiting to join. */
export const ownPendingInboxNames = (conn: Connection, viewerId: string) =>
  conn.all<{ name: string }>(
    `SELECT i.name FROM membership_requests q JOIN inboxes i ON i.id = q.inbox_id
         WHERE q.reviewer_id = ? AND q.decided IS NULL ORDER BY i.name`,
    [viewerId],
  )

export const isRequestPending = async (tx: Connection, inboxId: string, reviewerId: string) =>
  !!(await tx.get('SELECT 1 AS x FROM membership_requests WHERE inbox_id = ? AND reviewer_id = ? AND decided IS NULL', [inboxId, reviewerId]))

export const insertRequest = (tx: Connection, inboxId: string, reviewerId: string, at: string) =>
  tx.run('INSERT INTO membership_requests (inbox_id, reviewer_id, requested_at) VALUES (?,?,?)', [inboxId, reviewerId, at])

export const markApproved = (tx: Connection, inboxId: string, reviewerId: string, by: string, at: string) =>
  tx.run("UPDATE membership_requests SET decided = 'approved', decided_by = ?, decided_at = ? WHERE inbox_id = ? AND reviewer_id = ?", [
    by,
    at,
    inboxId,
    reviewerId,
  ])

/** Changes 1 row only if the request was still waiting. */
export const markDeclined = (tx: Connection, inboxId: string, reviewerId: string, by: string, at: string) =>
  tx.run("UPDATE membership_requests SET decided = 'declined', decided_by = ?, decided_at = ? WHERE inbox_id = ? AND reviewer_id = ? AND decided IS NULL", [
    by,
    at,
    inboxId,
    reviewerId,
  ])

export const deletePendingRequestsOf = (tx: Connection, reviewerId: string) =>
  tx.run('DELETE FROM membership_requests WHERE reviewer_id = ? AND decided IS NULL', [reviewerId])

/** Marks an inbox for rotation; one already marked keeps its first date. */
export const markRotationDue = (tx: Connection, inboxId: string, since: string) =>
  tx.run('INSERT OR IGNORE INTO rotation_due (inbox_id, since) VALUES (?,?)', [inboxId, since])

export const clearRotationDue = (tx: Connection, inboxId: string) => tx.run('DELETE FROM rotation_due WHERE inbox_id = ?', [inboxId])

/** Inboxes due a rotation that the viewer is a member of, with their newest key version. */
export const rotationsDueFor = (conn: Connection, viewerId: string) =>
  conn.all<{ inbox_id: string; name: string; v: number }>(
    `SELECT d.inbox_id, i.name, (SELECT MAX(key_version) FROM inbox_keys WHERE inbox_id = d.inbox_id) AS v
         FROM rotation_due d JOIN inboxes i ON i.id = d.inbox_id
         JOIN inbox_members m ON m.inbox_id = d.inbox_id AND m.reviewer_id = ? ORDER BY i.name`,
    [viewerId],
  )
