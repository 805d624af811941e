import { concat, fromB64, toB64, utf8 } from './encoding'
import type { KeyPair } from './keys'
import { sodium } from './sodium'

/**
 * A grant of an inbox: the member who approves a newcomer vouches, to that newcomer alone, for
 * the inbox identity S.pk they seal to them. It is a crypto_box from the approver's R.sk to the
 * newcomer's R.pk, so only those two could have made it, and the newcomer checks it against the
 * approver's R.pk, whose fingerprint the approver reads out at approval (ADR 0032). A server that
 * hands a newcomer keys of its own making cannot make the box without an approver's R.sk.
 */

const LABEL = 'candour-grant-v2'
const NONCE = 24

/** What the box holds: one hash over the label, the inbox, its identity, and both reviewers' keys. */
function statement(inboxId: string, signPk: string, granterPk: Uint8Array, granteePk: Uint8Array): Uint8Array {
  const text = JSON.stringify([inboxId, signPk, toB64(granterPk), toB64(granteePk)])
  return sodium().crypto_generichash(32, concat(utf8(`${LABEL}\n`), utf8(text)), null)
}

/** The grant the approver's browser sends with the wraps: nonce ‖ box, 72 bytes of base64url. */
export function makeGrant(inboxId: string, signPk: string, granter: KeyPair, granteePk: Uint8Array): string {
  const s = sodium()
  const nonce = s.randombytes_buf(NONCE)
  return toB64(concat(nonce, s.crypto_box_easy(statement(inboxId, signPk, granter.publicKey, granteePk), nonce, granteePk, granter.privateKey)))
}

/** True only if the granter with this R.pk vouched, to this grantee, for this identity of this inbox. */
export function checkGrant(grant: string, inboxId: string, signPk: string, granterPk: string, grantee: KeyPair): boolean {
  const s = sodium()
  try {
    const granter = fromB64(granterPk)
    const bytes = fromB64(grant)
    if (bytes.length !== NONCE + 32 + s.crypto_box_MACBYTES) return false
    const opened = s.crypto_box_open_easy(bytes.subarray(NONCE), bytes.subarray(0, NONCE), granter, grantee.privateKey)
    const want = statement(inboxId, signPk, granter, grantee.publicKey)
    return opened.length === want.length && s.memcmp(opened, want)
  } catch {
    return false
  }
}
