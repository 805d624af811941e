import { headOf, logKey, newBoxKeyPair, publishKey, type KeyLogEntry, type KeyPair } from '../../crypto/index'
import { newSignKeyPair } from '../../crypto/keys'
import { readKeyFile } from '../../server/cli/inbox-key-file.server'
import { sqlAll } from './review-api'

/**
 * Key log work as its holders would do it, written straight into the database: an offline inbox's
 * operator rotating its key with the identity from the key file, or a thief of that identity
 * signing entries nobody else saw. Real keys and signatures throughout; only the path differs.
 */

export const storedLog = async (dbFile: string, inboxId: string): Promise<KeyLogEntry[]> =>
  (await sqlAll<{ entry: string }>(dbFile, 'SELECT entry FROM key_log WHERE inbox_id = ? ORDER BY pos', [inboxId])).map((r) => JSON.parse(r.entry))

/** The identity an offline inbox's key file holds. */
export const identityOf = (keyFile: string): KeyPair => readKeyFile(keyFile).identity

/** A version entry for a fresh encryption key on `log`, signed by `identity`, and that key's published form. */
export function nextVersion(log: KeyLogEntry[], identity: KeyPair) {
  const keyVersion = log.filter((e) => e.kind !== 'succession').length + 1
  const keys = { identity, encryption: newBoxKeyPair(), keyVersion }
  return { entry: logKey(keys, headOf(log))[0], key: publishKey(keys), encryption: keys.encryption }
}

/** An honest rotation of an offline inbox: the new key stored with the entry that logs it. */
export async function rotateOffline(dbFile: string, inboxId: string, keyFile: string) {
  const next = nextVersion(await storedLog(dbFile, inboxId), identityOf(keyFile))
  await sqlAll(dbFile, 'INSERT INTO inbox_keys (inbox_id, key_version, box_pk, signature, created_at) VALUES (?,?,?,?,?)', [
    inboxId,
    next.key.keyVersion,
    next.key.boxPk,
    next.key.signature,
    new Date().toISOString().slice(0, 10),
  ])
  await sqlAll(dbFile, 'INSERT INTO key_log (inbox_id, pos, entry) VALUES (?,?,?)', [inboxId, next.entry.pos, JSON.stringify(next.entry)])
  return next
}

/** A whole log of the server's own making: a new identity's genesis and its key. */
export function foreignLog(): { log: KeyLogEntry[]; identity: KeyPair } {
  const identity = newSignKeyPair()
  const keys = { identity, encryption: newBoxKeyPair(), keyVersion: 1 }
  return { log: logKey(keys), identity }
}
