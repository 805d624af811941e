import { concat, utf8 } from './encoding'
import { sodium } from './sodium'

/**
 * Post-quantum hybrid wraps (docs/protocol.md, "v2 · Post-quantum wraps"): X-Wing, which combines
 * X25519 with ML-KEM-768, so that a wrap recorded today stays closed unless both are broken. A
 * misconduct report can matter for decades, longer than X25519 alone may last.
 */

export const KEM_PUBLIC_KEY_BYTES = 1216
export const KEM_CIPHERTEXT_BYTES = 1120
export const KEM_SEED_BYTES = 32
const TAG_BYTES = 16
const LABEL = utf8('candour-xwing-wrap-v2')
// Each wrap derives its key from a fresh encapsulation, so the key is used exactly once and a
// fixed nonce is safe; a random one would add 24 bytes to every wrap for nothing.
const NONCE = new Uint8Array(24)

export type KemKeyPair = { publicKey: Uint8Array; privateKey: Uint8Array }

/** What a wrap is for: the purpose and what it belongs to, so that it cannot be moved elsewhere. */
export type WrapPurpose = 'message-key' | 'index-key' | 'grant' | 'reply-key'

/** The associated data of a wrap: a JSON array of the purpose and its owners, which has one spelling. */
export function wrapContext(purpose: WrapPurpose, ...owners: Array<string | number>): Uint8Array {
  for (const o of owners) if (typeof o === 'number' && !Number.isSafeInteger(o)) throw new Error('a wrap context number must be an integer')
  return utf8(JSON.stringify([purpose, ...owners]))
}

export function newKemKeyPair(): KemKeyPair {
  const { publicKey, privateKey } = sodium().crypto_kem_xwing_keypair()
  return { publicKey, privateKey }
}

/** The same key pair from the same 32-byte seed: how a receipt or a passkey gives one back. */
export function kemKeyPairFromSeed(seed: Uint8Array): KemKeyPair {
  if (seed.length !== KEM_SEED_BYTES) throw new Error('an X-Wing seed is 32 bytes')
  const { publicKey, privateKey } = sodium().crypto_kem_xwing_seed_keypair(seed)
  return { publicKey, privateKey }
}

function wrapKey(sharedSecret: Uint8Array, ct: Uint8Array, pk: Uint8Array, context: Uint8Array): Uint8Array {
  return sodium().crypto_generichash(32, concat(LABEL, ct, pk, context), sharedSecret)
}

/** ct(1120) ‖ XChaCha20-Poly1305(secret), keyed by the encapsulated secret, bound to `context`. */
export function wrap(secret: Uint8Array, pk: Uint8Array, context: Uint8Array): Uint8Array {
  const s = sodium()
  if (pk.length !== KEM_PUBLIC_KEY_BYTES) throw new Error('an X-Wing public key is 1216 bytes')
  const { ciphertext, sharedSecret } = s.crypto_kem_xwing_enc(pk)
  const key = wrapKey(sharedSecret, ciphertext, pk, context)
  const sealed = s.crypto_aead_xchacha20poly1305_ietf_encrypt(secret, context, null, NONCE, key)
  s.memzero(sharedSecret)
  s.memzero(key)
  return concat(ciphertext, sealed)
}

/** Throws unless the wrap was made for this key pair and this exact context. */
export function unwrap(wrapped: Uint8Array, kp: KemKeyPair, context: Uint8Array): Uint8Array {
  const s = sodium()
  if (wrapped.length < KEM_CIPHERTEXT_BYTES + TAG_BYTES) throw new Error('too short to be a wrap')
  const ct = wrapped.subarray(0, KEM_CIPHERTEXT_BYTES)
  const sharedSecret = s.crypto_kem_xwing_dec(ct, kp.privateKey)
  const key = wrapKey(sharedSecret, ct, kp.publicKey, context)
  try {
    return s.crypto_aead_xchacha20poly1305_ietf_decrypt(null, wrapped.subarray(KEM_CIPHERTEXT_BYTES), context, NONCE, key)
  } finally {
    s.memzero(sharedSecret)
    s.memzero(key)
  }
}

export const wrapBytes = (secretBytes: number) => KEM_CIPHERTEXT_BYTES + secretBytes + TAG_BYTES
