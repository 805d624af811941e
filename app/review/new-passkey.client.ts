import { loadCrypto } from '~/ui/crypto.client'
import type { Unlock } from './enrol.client'
import { createPasskey } from './passkeys.client'

export type Options = Parameters<typeof createPasskey>[0]
export type Created = Awaited<ReturnType<typeof createPasskey>>

/**
 * R.sk wrapped for a passkey just created: under its PRF output, or under an unlock passphrase
 * when the authenticator has no PRF. The wrap key comes back too, so the caller can unlock the
 * keyring the server answers with, and is wiped by unlock().
 */
export async function wrapForNewPasskey(reviewerSk: Uint8Array, how: Unlock) {
  const c = await loadCrypto()
  const salt = how.kind === 'passphrase' ? c.randomBytes(c.PASSPHRASE_SALT_BYTES) : null
  const wrapKey = how.kind === 'prf' ? c.wrapKeyFromPrf(how.prf) : await c.wrapKeyFromPassphrase(how.passphrase, salt!)
  const wrap = { keyWrap: c.wrapSecret(reviewerSk, wrapKey), unlock: how.kind, ...(salt ? { passphraseSalt: c.toB64(salt) } : {}) }
  return { wrap, wrapKey }
}
