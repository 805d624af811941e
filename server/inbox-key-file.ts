import * as z from 'zod/mini'
import { fromB64, toB64, type InboxKeys, type KeyPair } from '#crypto'

/**
 * The offline inbox's secret keys, written once for the operator to keep off the server.
 * Anyone with this file can read every report of the inbox. Shared by the CLI, which writes and
 * reads it, and a reviewer's browser, which imports it to adopt the inbox.
 */
const keyFileSchema = z.strictObject({
  kind: z.literal('candour-inbox-key'),
  version: z.literal(1),
  inboxId: z.string().check(z.maxLength(64)),
  name: z.string().check(z.maxLength(200)),
  identity: z.strictObject({ publicKey: z.string(), privateKey: z.string() }),
  encryption: z
    .array(z.strictObject({ keyVersion: z.int().check(z.minimum(1)), publicKey: z.string(), privateKey: z.string() }))
    .check(z.minLength(1), z.maxLength(1000)),
})

export type InboxKeyFile = z.infer<typeof keyFileSchema>
export type DecodedKeyFile = { inboxId: string; name: string; identity: KeyPair; encryption: Map<number, KeyPair> }

export function keyFileFor(inboxId: string, name: string, keys: InboxKeys): InboxKeyFile {
  return {
    kind: 'candour-inbox-key',
    version: 1,
    inboxId,
    name,
    identity: { publicKey: toB64(keys.identity.publicKey), privateKey: toB64(keys.identity.privateKey) },
    encryption: [{ keyVersion: keys.keyVersion, publicKey: toB64(keys.encryption.publicKey), privateKey: toB64(keys.encryption.privateKey) }],
  }
}

/** Null when the value is not a Candour inbox key file. */
export function decodeKeyFile(value: unknown): DecodedKeyFile | null {
  const parsed = keyFileSchema.safeParse(value)
  if (!parsed.success) return null
  const f = parsed.data
  try {
    return {
      inboxId: f.inboxId,
      name: f.name,
      identity: { publicKey: fromB64(f.identity.publicKey), privateKey: fromB64(f.identity.privateKey) },
      encryption: new Map(f.encryption.map((e) => [e.keyVersion, { publicKey: fromB64(e.publicKey), privateKey: fromB64(e.privateKey) }])),
    }
  } catch {
    return null
  }
}
