import { toB64, utf8 } from './encoding'
import { sodium } from './sodium'

export type KeyPair = { publicKey: Uint8Array; privateKey: Uint8Array }

export type ReporterKeys = {
  /** Thread index the server looks reports up by; reveals nothing about the receipt. */
  locator: string
  sign: KeyPair
  box: KeyPair
  /** Wraps the reporter's own copy of every message key, and the self-note. */
  noteKey: Uint8Array
}

// 16 bytes: used as the BLAKE2b key because the standard build has no personalisation (ADR 0002).
const RECEIPT_LABEL = 'candour-receipt1'
const KDF_CONTEXT = 'receipt_'
const SUBKEY = { locator: 1, sign: 2, box: 3, note: 4 } as const

/** Everything a reporter needs, from the normalised receipt alone. */
export function deriveReporterKeys(normalisedReceipt: string): ReporterKeys {
  const s = sodium()
  const master = s.crypto_generichash(32, utf8(normalisedReceipt), utf8(RECEIPT_LABEL))
  const sub = (id: number) => s.crypto_kdf_derive_from_key(32, id, KDF_CONTEXT, master)
  const signSeed = sub(SUBKEY.sign)
  const boxSeed = sub(SUBKEY.box)
  const keys: ReporterKeys = {
    locator: toB64(sub(SUBKEY.locator)),
    sign: pair(s.crypto_sign_seed_keypair(signSeed)),
    box: pair(s.crypto_box_seed_keypair(boxSeed)),
    noteKey: sub(SUBKEY.note),
  }
  s.memzero(master)
  s.memzero(signSeed)
  s.memzero(boxSeed)
  return keys
}

export function newBoxKeyPair(): KeyPair {
  return pair(sodium().crypto_box_keypair())
}

export function newSignKeyPair(): KeyPair {
  return pair(sodium().crypto_sign_keypair())
}

function pair(k: { publicKey: Uint8Array; privateKey: Uint8Array }): KeyPair {
  return { publicKey: k.publicKey, privateKey: k.privateKey }
}

/** The one source of random bytes for the server, and for the keys and salts browsers make: libsodium's CSPRNG. */
export const randomBytes = (n: number): Uint8Array => sodium().randombytes_buf(n)

/** Best effort: JS strings cannot be wiped, but key bytes can. */
export function wipe(...buffers: Uint8Array[]): void {
  for (const b of buffers) sodium().memzero(b)
}
