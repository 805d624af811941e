import { z } from 'zod'
import { headOf, keyLogEntrySchema, namesNewest, traceLog, type KeyLogEntry, type PublishedKey, type TracedLog } from '#crypto'
import { insertInboxKey, inboxKeyRows } from './db/inboxes.server'
import { insertKeyLogEntry, keyLogEntries } from './db/key-log.server'
import type { Connection } from './db/connection.server'
import { UserError } from '#common/errors'

/**
 * The server's side of the key log: it appends only what every reader would accept, so an honest
 * server never serves a log its own members' browsers refuse, and it refuses an entry written on
 * a head that has since moved (409: the browser re-signs on the new head). Readers check again;
 * nothing here is trusted by them.
 */

/** What a browser sends with a key it publishes: the entries that log it (a succession may come first). */
export const logEntriesSchema = z.array(z.unknown()).min(1).max(2)

/** Enough for any inbox's whole history at once, as the v1 upgrade sends it. */
export const upgradeEntriesSchema = z.array(z.unknown()).min(1).max(1000)

type Traced = Extract<TracedLog, { ok: true }>

async function append(tx: Connection, inboxId: string, raw: unknown[]): Promise<Traced> {
  const existing = await keyLogEntries(tx, inboxId)
  const entries: KeyLogEntry[] = raw.map((r) => {
    const parsed = keyLogEntrySchema.safeParse(r)
    if (!parsed.success) throw new UserError(400, 'errors.keyLog.format')
    return parsed.data
  })
  const head = existing.length ? headOf(existing as KeyLogEntry[]).hash : null
  if (entries[0].pos !== existing.length || entries[0].prev !== head) throw new UserError(409, 'errors.keyLog.changed')
  const traced = traceLog([...existing, ...entries])
  if (!traced.ok) throw new UserError(400, 'errors.keyLog.noVerify', { values: { problem: traced.problem } })
  for (const e of entries) await insertKeyLogEntry(tx, { inboxId, pos: e.pos, entry: JSON.stringify(e) })
  return traced
}

/**
 * Stores a new key version together with the log entries that name it, in the caller's
 * transaction: a key no log traces is never listed, and a log entry never names a key not stored.
 */
export async function publishKeyVersion(tx: Connection, p: { inboxId: string; key: PublishedKey; log: unknown[]; at: string }): Promise<void> {
  if (!namesNewest(await append(tx, p.inboxId, p.log), p.key)) throw new UserError(400, 'errors.keyLog.notNewest')
  await insertInboxKey(tx, { inboxId: p.inboxId, keyVersion: p.key.keyVersion, boxPk: p.key.boxPk, signature: p.key.signature, at: p.at })
}

/**
 * Logs an inbox made before the key log: a member's browser signs every existing version once.
 * The entries must name exactly the stored versions, under the stored identity.
 */
export async function logExistingKeys(tx: Connection, inboxId: string, raw: unknown[]): Promise<void> {
  if ((await keyLogEntries(tx, inboxId)).length) throw new UserError(409, 'errors.keyLog.alreadyLogged')
  const stored = await inboxKeyRows(tx, inboxId)
  if (!stored.length) throw new UserError(404, 'errors.inboxes.noSuch')
  const traced = await append(tx, inboxId, raw)
  const same =
    traced.signPk === stored[0].sign_pk &&
    traced.versions.length === stored.length &&
    traced.versions.every((v, i) => v.keyVersion === stored[i].key_version && v.boxPk === stored[i].box_pk)
  if (!same) throw new UserError(400, 'errors.keyLog.notThisInbox')
}
