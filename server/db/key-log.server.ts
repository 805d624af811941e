import type { Connection } from './connection.server'

/** The key log's entries, one row each, stored as the JSON their signer sent. */

export const keyLogEntries = async (conn: Connection, inboxId: string): Promise<unknown[]> =>
  (await conn.all<{ entry: string }>('SELECT entry FROM key_log WHERE inbox_id = ? ORDER BY pos', [inboxId])).map((r) => JSON.parse(r.entry) as unknown)

/** Every inbox's log, for listings that show them all at once. */
export async function allKeyLogs(conn: Connection): Promise<Map<string, unknown[]>> {
  const logs = new Map<string, unknown[]>()
  for (const r of await conn.all<{ inbox_id: string; entry: string }>('SELECT inbox_id, entry FROM key_log ORDER BY inbox_id, pos'))
    logs.set(r.inbox_id, [...(logs.get(r.inbox_id) ?? []), JSON.parse(r.entry) as unknown])
  return logs
}

export const insertKeyLogEntry = (tx: Connection, e: { inboxId: string; pos: number; entry: string }) =>
  tx.run('INSERT INTO key_log (inbox_id, pos, entry) VALUES (?,?,?)', [e.inboxId, e.pos, e.entry])
