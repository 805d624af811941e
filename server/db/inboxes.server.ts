import type { Connection } from './connection.server'

/** Inboxes, their key versions and the wraps of those keys sealed to members. */

export type Custody = 'offline' | 'members'

/** An inbox with one key version; `keyRows` fill only the key columns. */
export type InboxKeyRow = {
  id: string
  name: string
  description: string
  custody: Custody
  sign_pk: string
  key_version: number
  box_pk: string
  signature: string
}

const CURRENT = `
  SELECT i.id, i.name, i.description, i.custody, i.sign_pk, k.key_version, k.box_pk, k.signature
  FROM inboxes i JOIN inbox_keys k ON k.inbox_id = i.id
  WHERE k.key_version = (SELECT MAX(key_version) FROM inbox_keys WHERE inbox_id = i.id)`

/** Every inbox with its newest key version, by name. */
export const currentInboxes = (conn: Connection) => conn.all<InboxKeyRow>(`${CURRENT} ORDER BY i.name`)

export const currentInbox = (conn: Connection, id: string) => conn.get<InboxKeyRow>(`${CURRENT} AND i.id = ?`, [id])

/** Every key version of the inbox, oldest first (old reports stay readable). */
export const inboxKeyRows = (conn: Connection, id: string) =>
  conn.all<Pick<InboxKeyRow, 'sign_pk' | 'key_version' | 'box_pk' | 'signature'>>(
    `SELECT i.sign_pk, k.key_version, k.box_pk, k.signature FROM inbox_keys k JOIN inboxes i ON i.id = k.inbox_id
         WHERE k.inbox_id = ? ORDER BY k.key_version`,
    [id],
  )

export const inboxKeyVersions = async (conn: Connection, inboxId: string) =>
  (await conn.all<{ v: number }>('SELECT key_version AS v FROM inbox_keys WHERE inbox_id = ? ORDER BY key_version', [inboxId])).map((r) => r.v)

/** The identity key a new key version must be signed by, and the newest version so far. */
export const inboxIdentity = (conn: Connection, inboxId: string) =>
  conn.get<{ sign_pk: string; v: number }>(
    'SELECT i.sign_pk, (SELECT MAX(key_version) FROM inbox_keys WHERE inbox_id = i.id) AS v FROM inboxes i WHERE i.id = ?',
    [inboxId],
  )

/** Name, retention and current key version: what a member's view of the inbox needs. */
export const inboxForReviewers = (conn: Connection, inboxId: string) =>
  conn.get<{ name: string; current: number; retention_days: number }>(
    'SELECT name, retention_days, (SELECT MAX(key_version) FROM inbox_keys WHERE inbox_id = i.id) AS current FROM inboxes i WHERE id = ?',
    [inboxId],
  )

export const retentionByInbox = (conn: Connection) =>
  conn.all<{ id: string; name: string; days: number }>('SELECT id, name, retention_days AS days FROM inboxes ORDER BY name')

export const setRetentionDays = (tx: Connection, inboxId: string, days: number) => tx.run('UPDATE inboxes SET retention_days = ? WHERE id = ?', [days, inboxId])

export const inboxNames = (conn: Connection, ids: string[]) =>
  conn.all<{ id: string; name: string }>(`SELECT id, name FROM inboxes WHERE id IN (${ids.map(() => '?').join(',')})`, ids)

/** Of these ids, the inboxes that exist and are kept by members. */
export const memberKeptInboxIds = (conn: Connection, ids: string[]) =>
  conn.all<{ id: string }>(`SELECT id FROM inboxes WHERE custody = 'members' AND id IN (${ids.map(() => '?').join(',')})`, ids)

/** Offline inboxes with every key version, by name then version. */
export const offlineInboxKeys = (conn: Connection) =>
  conn.all<{ id: string; name: string; sign_pk: string; key_version: number; box_pk: string }>(
    `SELECT i.id, i.name, i.sign_pk, k.key_version, k.box_pk FROM inboxes i JOIN inbox_keys k ON k.inbox_id = i.id
         WHERE i.custody = 'offline' ORDER BY i.name, k.key_version`,
  )

export const insertInbox = (tx: Connection, i: { id: string; name: string; description: string; signPk: string; custody: Custody; at: string }) =>
  tx.run('INSERT INTO inboxes (id, name, description, sign_pk, custody, created_at) VALUES (?,?,?,?,?,?)', [
    i.id,
    i.name,
    i.description,
    i.signPk,
    i.custody,
    i.at,
  ])

export const insertInboxKey = (tx: Connection, k: { inboxId: string; keyVersion: number; boxPk: string; signature: string; at: string }) =>
  tx.run('INSERT INTO inbox_keys (inbox_id, key_version, box_pk, signature, created_at) VALUES (?,?,?,?,?)', [
    k.inboxId,
    k.keyVersion,
    k.boxPk,
    k.signature,
    k.at,
  ])

export const insertKeyWrap = (tx: Connection, w: { inboxId: string; keyVersion: number; reviewerId: string; boxSkWrap: string; signSkWrap: string }) =>
  tx.run('INSERT INTO inbox_key_wraps (inbox_id, key_version, reviewer_id, box_sk_wrap, sign_sk_wrap) VALUES (?,?,?,?,?)', [
    w.inboxId,
    w.keyVersion,
    w.reviewerId,
    w.boxSkWrap,
    w.signSkWrap,
  ])

export const deleteKeyWrapsOf = (tx: Connection, reviewerId: string) => tx.run('DELETE FROM inbox_key_wraps WHERE reviewer_id = ?', [reviewerId])

/** Changes 1 row only if the inbox was still offline. */
export const adoptInboxRow = (tx: Connection, inboxId: string) =>
  tx.run("UPDATE inboxes SET custody = 'members' WHERE id = ? AND custody = 'offline'", [inboxId])

export const deleteInboxRow = (tx: Connection, inboxId: string) => tx.run('DELETE FROM inboxes WHERE id = ?', [inboxId])

/** Every key version wrapped to the reviewer, with the inbox and its signed public key. */
export const keyringInboxes = (conn: Connection, reviewerId: string) =>
  conn.all<{
    id: string
    name: string
    description: string
    key_version: number
    box_pk: string
    sign_pk: string
    signature: string
    box_sk_wrap: string
    sign_sk_wrap: string
  }>(
    `SELECT i.id, i.name, i.description, w.key_version, k.box_pk, i.sign_pk, k.signature, w.box_sk_wrap, w.sign_sk_wrap
       FROM inbox_key_wraps w JOIN inboxes i ON i.id = w.inbox_id
       JOIN inbox_keys k ON k.inbox_id = w.inbox_id AND k.key_version = w.key_version
       WHERE w.reviewer_id = ? ORDER BY i.name, w.key_version`,
    [reviewerId],
  )

/** The reviewer's inboxes for their home page, with how many sealed reports each holds. */
export const memberInboxOverview = (conn: Connection, reviewerId: string) =>
  conn.all<{ id: string; name: string; description: string; key_version: number; reports: number }>(
    `SELECT i.id, i.name, i.description,
                (SELECT MAX(key_version) FROM inbox_keys WHERE inbox_id = i.id) AS key_version,
                (SELECT COUNT(*) FROM reports WHERE inbox_id = i.id) AS reports
         FROM inbox_members m JOIN inboxes i ON i.id = m.inbox_id WHERE m.reviewer_id = ? ORDER BY i.name`,
    [reviewerId],
  )

/** The reviewer's inboxes (or just `inboxId`, if a member of it) for the report list. */
export const memberInboxes = (conn: Connection, reviewerId: string, inboxId?: string) =>
  conn.all<{ id: string; name: string; retention_days: number; current: number }>(
    `SELECT i.id, i.name, i.retention_days, (SELECT MAX(key_version) FROM inbox_keys k WHERE k.inbox_id = i.id) AS current
         FROM inboxes i JOIN inbox_members m ON m.inbox_id = i.id AND m.reviewer_id = ?
         ${inboxId ? 'WHERE i.id = ?' : ''} ORDER BY i.name`,
    inboxId ? [reviewerId, inboxId] : [reviewerId],
  )
