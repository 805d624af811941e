import { concat, fromB64, toB64, utf8 } from './encoding'
import { sodium } from './sodium'

/**
 * Hashcash over BLAKE2b-256 (decision 12). The server hands out a challenge it can recognise
 * later without storing it (a keyed BLAKE2b MAC over its fields); the client finds a nonce whose
 * hash has `difficulty` leading zero bits. Pure verbs, no I/O and no clock: callers pass `now`.
 * libsodium, not WebCrypto, so the browser and the server run the very same code.
 */
export type PowChallenge = { challenge: string; difficulty: number; expires: number; mac: string }
export type PowProof = PowChallenge & { nonce: number }
export type PowProblem = 'mac' | 'expired' | 'work'

export const POW_CHALLENGE_BYTES = 16
export const POW_KEY_BYTES = 32
/** Nonces are uint32 counters: 2^32 tries is far beyond any difficulty we hand out. */
export const POW_MAX_NONCE = 0xffffffff
const LABEL = 'candour-pow1'

/** The fields the MAC covers, in one unambiguous text form (base64url has no '.'). */
const fields = (c: Omit<PowChallenge, 'mac'>) => utf8(`${LABEL}.${c.challenge}.${c.difficulty}.${c.expires}`)

export function powMac(key: Uint8Array, c: Omit<PowChallenge, 'mac'>): string {
  return toB64(sodium().crypto_generichash(32, fields(c), key))
}

/** A fresh challenge; `expires` is in whole seconds since the epoch. */
export function newPowChallenge(key: Uint8Array, difficulty: number, expires: number): PowChallenge {
  const c = { challenge: toB64(sodium().randombytes_buf(POW_CHALLENGE_BYTES)), difficulty, expires }
  return { ...c, mac: powMac(key, c) }
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

/** The work input: the MACed fields, then the nonce as 4 little-endian bytes written in place. */
function workInput(c: PowChallenge): { buf: Uint8Array; at: number } {
  const head = concat(fields(c), utf8('.'))
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
export function solvePowSlice(c: PowChallenge, start = 0, tries = POW_MAX_NONCE + 1): number | null {
  const w = workInput(c)
  const end = Math.min(POW_MAX_NONCE, start + tries - 1)
  for (let nonce = start; nonce <= end; nonce++) {
    setNonce(w, nonce)
    if (leadingZeroBits(hash(w.buf)) >= c.difficulty) return nonce
  }
  return null
}

/** Solves in one go: for tests, the CLI and the server side of benchmarks. */
export function solvePow(c: PowChallenge): PowProof {
  const nonce = solvePowSlice(c)
  if (nonce === null) throw new Error('no nonce found')
  return { ...c, nonce }
}

/** Checks MAC (constant time), expiry, then the work. Single use is the caller's job: it needs state. */
export function checkPow(key: Uint8Array, p: PowProof, nowSeconds: number): { ok: true } | { ok: false; problem: PowProblem } {
  const s = sodium()
  let expected: Uint8Array
  let given: Uint8Array
  try {
    expected = fromB64(powMac(key, p))
    given = fromB64(p.mac)
  } catch {
    return { ok: false, problem: 'mac' }
  }
  if (given.length !== expected.length || !s.memcmp(given, expected)) return { ok: false, problem: 'mac' }
  if (p.expires < nowSeconds) return { ok: false, problem: 'expired' }
  if (!Number.isInteger(p.nonce) || p.nonce < 0 || p.nonce > POW_MAX_NONCE) return { ok: false, problem: 'work' }
  const w = workInput(p)
  setNonce(w, p.nonce)
  if (leadingZeroBits(hash(w.buf)) < p.difficulty) return { ok: false, problem: 'work' }
  return { ok: true }
}
