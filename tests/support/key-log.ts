import { fromB64, headOf, logKey, newBoxKeyPair, publishKey, sealSecretTo, type KeyLogEntry, type KeyPair, type PublishedKey } from '../../crypto/index'
import { newSignKeyPair } from '../../crypto/keys'
import { readKeyFile } from '../../server/cli/inbox-key-file.server'
import { sqlAll } from './review-api'

/**
 * Key log work as its holders would do it, written straight into the database: an offline inbox's
 * operator rotating its key with the identity from the key file, or a thief of that identity
 * signing entries nobody else saw, or a server listing a key no log names. Real keys and
 * signatures throughout; only the path differs.
 */

const insertKey = (dbFile: string, inboxId: string, key: PublishedKey) =>
  sqlAll(dbFile, 'INSERT INTO inbox_keys (inbox_id, key_version, box_pk, signature, created_at) VALUES (?,?,?,?,?)', [
    inboxId,
    key.keyVersion,
    key.boxPk,
    key.signature,
    new Date().toISOString(),
  ])

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
  await insertKey(dbFile, inboxId, next.key)
  await sqlAll(dbFile, 'INSERT INTO key_log (inbox_id, pos, entry) VALUES (?,?,?)', [inboxId, next.entry.pos, JSON.stringify(next.entry)])
  return next
}

/** A whole log of the server's own making: a new identity's genesis, its key as listed, and the secrets the server keeps. */
export function foreignLog(): { log: KeyLogEntry[]; identity: KeyPair; encryption: KeyPair; key: PublishedKey } {
  const identity = newSignKeyPair()
  const keys = { identity, encryption: newBoxKeyPair(), keyVersion: 1 }
  return { log: logKey(keys), identity, encryption: keys.encryption, key: publishKey(keys) }
}

/**
 * A version 2 of the server's making, outside the log: its secret sealed to the first reviewer,
 * signed with `signer` (the server holds no S.sk), and the identity wrap copied from v1 unless the
 * server has an identity of its own.
 */
export async function addServerVersion(dbFile: string, inboxId: string, signer: KeyPair, identityWrap?: string): Promise<KeyPair> {
  const [{ box_pk }] = await sqlAll<{ box_pk: string }>(dbFile, 'SELECT box_pk FROM reviewers LIMIT 1')
  const [v1] = await sqlAll<{ reviewer_id: string; sign_sk_wrap: string }>(
    dbFile,
    'SELECT reviewer_id, sign_sk_wrap FROM inbox_key_wraps WHERE inbox_id = ? AND key_version = 1',
    [inboxId],
  )
  const encryption = newBoxKeyPair()
  await insertKey(dbFile, inboxId, publishKey({ identity: signer, encryption, keyVersion: 2 }))
  await sqlAll(dbFile, 'INSERT INTO inbox_key_wraps (inbox_id, key_version, reviewer_id, box_sk_wrap, sign_sk_wrap) VALUES (?,?,?,?,?)', [
    inboxId,
    2,
    v1.reviewer_id,
    sealSecretTo(encryption.privateKey, fromB64(box_pk)),
    identityWrap ?? v1.sign_sk_wrap,
  ])
  return encryption
}
