import { concat, fromB64, fromUtf8, toB64, utf8 } from './encoding'
import { sodium } from './sodium'

/**
 * A signed message: the JSON text `m` and an Ed25519 signature over a purpose label and `m`,
 * so a signature made for one purpose (a follow-up) can never pass as another (a reply).
 */
export type Purpose = 'report' | 'followup' | 'reply' | 'note' | 'inbox-key' | 'login' | 'adopt' | 'release' | 'key-log' | 'state'

/** Purposes that first appear in protocol v2 carry v2 in their label; the v1 labels never change. */
const V2_PURPOSES: ReadonlySet<Purpose> = new Set(['release', 'key-log', 'state'])

function signedBytes(purpose: Purpose, message: Uint8Array): Uint8Array {
  return concat(utf8(`candour-${purpose}-${V2_PURPOSES.has(purpose) ? 'v2' : 'v1'}\n`), message)
}

export function sign(purpose: Purpose, message: Uint8Array, signSk: Uint8Array): Uint8Array {
  return sodium().crypto_sign_detached(signedBytes(purpose, message), signSk)
}

export function verify(purpose: Purpose, message: Uint8Array, sig: Uint8Array, signPk: Uint8Array): boolean {
  try {
    return sodium().crypto_sign_verify_detached(sig, signedBytes(purpose, message), signPk)
  } catch {
    return false
  }
}

/** The plaintext inside an envelope: a JSON body and its signature. */
export function signJson(purpose: Purpose, value: unknown, signSk: Uint8Array): Uint8Array {
  const m = JSON.stringify(value)
  return utf8(JSON.stringify({ m, s: toB64(sign(purpose, utf8(m), signSk)) }))
}

export type Signed = { value: unknown; signedBy: (signPk: Uint8Array) => boolean }

/** Parses a signed plaintext; checking who signed it is left to the caller, who knows the key. */
export function readSignedJson(purpose: Purpose, plain: Uint8Array): Signed {
  const outer = JSON.parse(fromUtf8(plain)) as { m?: unknown; s?: unknown }
  if (typeof outer.m !== 'string' || typeof outer.s !== 'string') throw new Error('not a signed message')
  const m = outer.m
  const sig = fromB64(outer.s)
  return { value: JSON.parse(m), signedBy: (pk) => verify(purpose, utf8(m), sig, pk) }
}
