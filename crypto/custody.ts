import { concat, fromB64, toB64, utf8 } from './encoding'
import type { KeyPair } from './keys'
import { newCode, parseCode, type ParsedReceipt } from './receipt'
import { sodium } from './sodium'

/**
 * Reviewer key custody (docs/protocol.md, section 3): the reviewer's secret key is only ever
 * stored wrapped, under a key from a passkey's PRF output or from a printed recovery code, and an
 * inbox's secret keys only sealed to each member's public key.
 */

// 16-byte labels used as BLAKE2b keys: the standard build has no personalisation (ADR 0002).
const PRF_LABEL = 'candour-wrapkey1'
const RECOVERY_LABEL = 'candour-recover1'
// A separate key, so the id the server sees for lookup says nothing about the wrap key.
const RECOVERY_ID_LABEL = 'candour-recoverid'
const NONCE = 24

/** 26 symbols × 5 bits = 130 random bits, at least the 128 the protocol asks for. */
export const RECOVERY_SYMBOLS = 26

export function wrapKeyFromPrf(prfOutput: Uint8Array): Uint8Array {
  if (prfOutput.length < 32) throw new Error('PRF output too short')
  return sodium().crypto_generichash(32, prfOutput, utf8(PRF_LABEL))
}

export const newRecoveryCode = () => newCode(RECOVERY_SYMBOLS)

export const parseRecoveryCode = (input: string): ParsedReceipt => parseCode(input, RECOVERY_SYMBOLS, 'recovery key')

export function wrapKeyFromRecovery(normalisedCode: string): Uint8Array {
  return sodium().crypto_generichash(32, utf8(normalisedCode), utf8(RECOVERY_LABEL))
}

/**
 * Lets the server find whose recovery key this is without a user name: BLAKE2b-256 of the code
 * under its own key, base64url (43 characters). The server stores only a SHA-256 of it, so a
 * copied database cannot be used to start a recovery either.
 */
export function recoveryLookupId(normalisedCode: string): string {
  return toB64(sodium().crypto_generichash(32, utf8(normalisedCode), utf8(RECOVERY_ID_LABEL)))
}

/** secretbox(secret, wrapKey), as nonce ‖ box in base64url. */
export function wrapSecret(secret: Uint8Array, wrapKey: Uint8Array): string {
  const s = sodium()
  const nonce = s.randombytes_buf(NONCE)
  return toB64(concat(nonce, s.crypto_secretbox_easy(secret, nonce, wrapKey)))
}

/** Throws if the wrap was made with another key or was altered. */
export function unwrapSecret(wrapped: string, wrapKey: Uint8Array): Uint8Array {
  const b = fromB64(wrapped)
  return sodium().crypto_secretbox_open_easy(b.subarray(NONCE), b.subarray(0, NONCE), wrapKey)
}

/** Anonymous sealed box to a member's public key: how inbox keys reach a new member. */
export function sealSecretTo(secret: Uint8Array, recipientPk: Uint8Array): string {
  return toB64(sodium().crypto_box_seal(secret, recipientPk))
}

export function openSealedSecret(sealed: string, recipient: KeyPair): Uint8Array {
  return sodium().crypto_box_seal_open(fromB64(sealed), recipient.publicKey, recipient.privateKey)
}

/**
 * A short fingerprint two people can read to each other: 5 groups of 4 digits (≈66 bits) of
 * BLAKE2b over the key. Enough to catch a substituted key when compared out of band.
 */
export function fingerprint(publicKey: Uint8Array): string {
  const h = sodium().crypto_generichash(16, publicKey, null)
  let n = 0n
  for (const b of h) n = (n << 8n) | BigInt(b)
  const digits = (n % 10n ** 20n).toString().padStart(20, '0')
  return digits.match(/.{4}/g)!.join(' ')
}

/** What an adopting browser signs with an offline inbox's identity key: bound to inbox and reviewer. */
export function adoptionStatement(challenge: Uint8Array, inboxId: string, reviewerId: string): Uint8Array {
  return concat(challenge, utf8(`\n${inboxId}\n${reviewerId}`))
}
