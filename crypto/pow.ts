import { canonicalJson } from './canonical-json'
import { concat, fromB64, toB64, utf8 } from './encoding'
import { sodium } from './sodium'

/**
 * Hashcash over BLAKE2b-256 (decisions 12 and 18). The server hands out a challenge it can
 * recognise later without storing it (a keyed BLAKE2b MAC over its fields); the client finds a
 * nonce whose hash, over those fields and a hash of the very body it will send, has `difficulty`
 * leading zero bits. So a proof pays for one body at one route, at the price named in it.
 * Pure verbs, no I/O and no clock: callers pass `now`. libsodium, not WebCrypto, so the browser
 * and the server run the very same code.
 */
export const POW_PURPOSES = ['report', 'sign-in', 'upload'] as const
export type PowPurpose = (typeof POW_PURPOSES)[number]

/**
 * `window` and `seq` say where the server's spent set keeps this challenge's bit; `challenge` is
 * random, so no one can start on a challenge before it is issued.
 */
export type PowChallenge = {
  purpose: PowPurpose
  window: number
  seq: number
  challenge: string
  difficulty: number
  expires: number
  mac: string
}
export type PowProof = PowChallenge & { nonce: number }

export const POW_CHALLENGE_BYTES = 16
export const POW_KEY_BYTES = 32
/** Nonces are uint32 counters: 2^32 tries is far beyond any difficulty we hand out. */
export const POW_MAX_NONCE = 0xffffffff
const LABEL = 'candour-pow2'

type Fields = Omit<PowChallenge, 'mac'>

/** The fields the MAC covers, in one unambiguous text form (no field can hold a '.'). */
const fields = (c: Fields) => utf8(`${LABEL}.${c.purpose}.${c.window}.${c.seq}.${c.challenge}.${c.difficulty}.${c.expires}`)

export function powMac(key: Uint8Array, c: Fields): string {
  return toB64(sodium().crypto_generichash(32, fields(c), key))
}

/** A fresh challenge; `expires` is in whole seconds since the epoch. */
export function newPowChallenge(key: Uint8Array, c: Omit<Fields, 'challenge'>): PowChallenge {
  const f: Fields = { ...c, challenge: toB64(sodium().randombytes_buf(POW_CHALLENGE_BYTES)) }
  return { ...f, mac: powMac(key, f) }
}

/**
 * What a proof is bound to: BLAKE2b-256 of the request body without its `pow` field, in the
 * canonical JSON encoding (crypto/canonical-json.ts). Throws TooDeepError for absurd nesting.
 */
export function powBodyHash(body: unknown): Uint8Array {
  return sodium().crypto_generichash(32, concat(utf8(`${LABEL}-body.`), canonicalJson(body)), null)
}

export function leadingZeroBits(bytes: Uint8Array): number {
  let n = 0
  for (const b of bytes) {
    if (b === 0) {
      n += 8
      continue
    }
    return n + Math.clz32(b) - 24
  }
  return n
}

/** The work input: the MACed fields, the body hash, then the nonce as 4 little-endian bytes written in place. */
function workInput(c: Fields, bodyHash: Uint8Array): { buf: Uint8Array; at: number } {
  const head = concat(fields(c), utf8('.'), bodyHash, utf8('.'))
  return { buf: concat(head, new Uint8Array(4)), at: head.length }
}

function setNonce(w: { buf: Uint8Array; at: number }, nonce: number) {
  w.buf[w.at] = nonce & 0xff
  w.buf[w.at + 1] = (nonce >>> 8) & 0xff
  w.buf[w.at + 2] = (nonce >>> 16) & 0xff
  w.buf[w.at + 3] = (nonce >>> 24) & 0xff
}

const hash = (buf: Uint8Array) => sodium().crypto_generichash(32, buf, null)

/**
 * Searches nonces from `start` for at most `tries`; the nonce found, or null so a caller on a
 * page's main thread can yield between slices and keep the page responsive.
 */
export function solvePowSlice(c: PowChallenge, bodyHash: Uint8Array, start = 0, tries = POW_MAX_NONCE + 1): number | null {
  const w = workInput(c, bodyHash)
  const end = Math.min(POW_MAX_NONCE, start + tries - 1)
  for (let nonce = start; nonce <= end; nonce++) {
    setNonce(w, nonce)
    if (leadingZeroBits(hash(w.buf)) >= c.difficulty) return nonce
  }
  return null
}

/** Solves in one go for `body` (the request body without `pow`): for tests and benchmarks. */
export function solvePow(c: PowChallenge, body: unknown): PowProof {
  const nonce = solvePowSlice(c, powBodyHash(body))
  if (nonce === null) throw new Error('no nonce found')
  return { ...c, nonce }
}

/** Checks the MAC (constant time), then expiry: is this a challenge we issued, still live? */
export function checkPowChallenge(key: Uint8Array, c: PowChallenge, nowSeconds: number): 'ok' | 'mac' | 'expired' {
  const s = sodium()
  let expected: Uint8Array
  let given: Uint8Array
  try {
    expected = fromB64(powMac(key, c))
    given = fromB64(c.mac)
  } catch {
    return 'mac'
  }
  if (given.length !== expected.length || !s.memcmp(given, expected)) return 'mac'
  if (c.expires < nowSeconds) return 'expired'
  return 'ok'
}

/** Was the work done, for this body? Single use and the price are the caller's job: they need state. */
export function checkPowWork(p: PowProof, bodyHash: Uint8Array): boolean {
  if (!Number.isInteger(p.nonce) || p.nonce < 0 || p.nonce > POW_MAX_NONCE) return false
  const w = workInput(p, bodyHash)
  setNonce(w, p.nonce)
  return leadingZeroBits(hash(w.buf)) >= p.difficulty
}
