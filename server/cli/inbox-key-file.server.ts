import fs from 'node:fs'
import { z } from 'zod'
import { fromB64, toB64, type InboxKeys } from '../../crypto/index'

/**
 * The offline inbox's secret keys, written once for the operator to keep off the server.
 * Anyone with this file can read every report of the inbox.
 */
const keyFileSchema = z.strictObject({
  kind: z.literal('candour-inbox-key'),
  version: z.literal(1),
  inboxId: z.string(),
  name: z.string(),
  identity: z.strictObject({ publicKey: z.string(), privateKey: z.string() }),
  encryption: z.array(z.strictObject({ keyVersion: z.number().int().min(1), publicKey: z.string(), privateKey: z.string() })).min(1),
})

export type InboxKeyFile = z.infer<typeof keyFileSchema>

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

export function writeKeyFile(file: string, content: InboxKeyFile): void {
  // 'wx': never overwrite an existing key file; 0600: readable by the operator only.
  fs.writeFileSync(file, JSON.stringify(content, null, 2) + '\n', { flag: 'wx', mode: 0o600 })
}

export function readKeyFile(file: string) {
  const parsed = keyFileSchema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')))
  if (!parsed.success) throw new Error(`${file} is not a Candour inbox key file.`)
  const f = parsed.data
  return {
    inboxId: f.inboxId,
    name: f.name,
    identity: { publicKey: fromB64(f.identity.publicKey), privateKey: fromB64(f.identity.privateKey) },
    encryption: new Map(f.encryption.map((e) => [e.keyVersion, { publicKey: fromB64(e.publicKey), privateKey: fromB64(e.privateKey) }])),
  }
}
