import type { Connection } from './connection.server'

/** Approvers' grants of inboxes to newcomers (ADR 0032), with the approver's key for checking. */

export const insertGrant = (tx: Connection, g: { inboxId: string; reviewerId: string; grantedBy: string; grant: string }) =>
  tx.run('INSERT INTO inbox_grants (inbox_id, reviewer_id, granted_by, grant_box) VALUES (?,?,?,?)', [g.inboxId, g.reviewerId, g.grantedBy, g.grant])

export const grantsTo = (conn: Connection, reviewerId: string) =>
  conn.all<{ inbox_id: string; grant_box: string; by_id: string; by_name: string; by_box_pk: string }>(
    `SELECT g.inbox_id, g.grant_box, r.id AS by_id, r.display_name AS by_name, r.box_pk AS by_box_pk
       FROM inbox_grants g JOIN reviewers r ON r.id = g.granted_by
      WHERE g.reviewer_id = ? ORDER BY g.inbox_id`,
    [reviewerId],
  )
