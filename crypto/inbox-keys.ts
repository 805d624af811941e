import { openSealedSecret } from './custody'
import { concat, fromB64, toB64, utf8 } from './encoding'
import { verifyPublishedKey } from './inbox'
import { traceLog, type LogHead, type LogProblem } from './key-log'
import type { KeyPair } from './keys'
import { sodium } from './sodium'

/**
 * What a reviewer's browser checks before it uses an inbox's keys (ADR 0021), so that keys of the
 * server's own making are refused, not sealed to. Until protocol v2's key log, this is the check:
 * every version signed by one identity, every unwrapped secret matching its public key, and that
 * identity the one this reviewer pinned.
 */

/** One key version of an inbox as the server lists it for this reviewer: public keys and wraps. */
export type ListedKeyVersion = { keyVersion: number; boxPk: string; signPk: string; signature: string; boxSkWrap: string; signSkWrap: string }

/** A reviewer's pin of an inbox identity, kept by the server: only the reviewer's R.sk can make `pin`. */
export type InboxPin = { signPk: string; pin: string }

/** Why an inbox's keys were refused; each names one check. */
export type KeyProblem =
  | 'no-versions'
  | 'duplicate-version'
  | 'unreadable-wrap'
  | 'identity-secret'
  | 'box-secret'
  | 'signature'
  | 'pin'
  | 'pin-identity'
  | 'log'
  | 'log-identity'
  | 'not-logged'

export type CheckedInbox =
  | {
      ok: true
      identity: KeyPair
      versions: Array<{ keyVersion: number; encryption: KeyPair }>
      pinned: boolean
      /** The key log's head, or null for an inbox made before the key log, which this browser may now log. */
      logHead: LogHead | null
    }
  | { ok: false; problem: KeyProblem; keyVersion?: number; logProblem?: LogProblem }

// crypto_kdf context (8 bytes) and the MAC's own label: a pin key serves nothing else.
const PIN_CONTEXT = 'inboxpin'
const PIN_LABEL = 'candour-inbox-pin-v1'

function pinKey(reviewerSk: Uint8Array): Uint8Array {
  return sodium().crypto_kdf_derive_from_key(32, 1, PIN_CONTEXT, reviewerSk)
}

function pinMac(key: Uint8Array, inboxId: string, signPk: Uint8Array): Uint8Array {
  return sodium().crypto_generichash(32, concat(utf8(`${PIN_LABEL}\n${inboxId}\n`), signPk), key)
}

/** A keyed BLAKE2b MAC binding the inbox id to its identity key, under a key derived from R.sk. */
export function pinInbox(reviewerSk: Uint8Array, inboxId: string, signPk: string): string {
  const key = pinKey(reviewerSk)
  try {
    return toB64(pinMac(key, inboxId, fromB64(signPk)))
  } finally {
    sodium().memzero(key)
  }
}

const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && sodium().memcmp(a, b)

function pinVerifies(reviewerSk: Uint8Array, inboxId: string, pin: InboxPin): boolean {
  const key = pinKey(reviewerSk)
  try {
    return same(pinMac(key, inboxId, fromB64(pin.signPk)), fromB64(pin.pin))
  } catch {
    return false
  } finally {
    sodium().memzero(key)
  }
}

/**
 * An Ed25519 secret key is seed ‖ public key, so reading the public half off its tail proves
 * nothing: the whole key must be the one its seed makes, with the public key shown.
 */
function identityMatches(sk: Uint8Array, pk: Uint8Array): boolean {
  if (sk.length !== 64) return false
  const made = sodium().crypto_sign_seed_keypair(sk.subarray(0, 32))
  return same(made.privateKey, sk) && same(made.publicKey, pk)
}

function boxMatches(sk: Uint8Array, pk: Uint8Array): boolean {
  return sk.length === 32 && same(sodium().crypto_scalarmult_base(sk), pk)
}

/**
 * Unwraps and checks every listed key version of one inbox with the reviewer's key. The inbox is
 * usable only if every check passes for every version: a single version of the server's making
 * means the list cannot be trusted, so none of it is used. Secrets of a refused inbox are wiped.
 */
export function checkInboxKeys(inboxId: string, listed: ListedKeyVersion[], reviewer: KeyPair, pin: InboxPin | null, log: unknown[] = []): CheckedInbox {
  if (!listed.length) return { ok: false, problem: 'no-versions' }
  const signPk = listed[0].signPk
  if (pin && !pinVerifies(reviewer.privateKey, inboxId, pin)) return { ok: false, problem: 'pin' }
  if (pin && pin.signPk !== signPk) return { ok: false, problem: 'pin-identity' }
  // Every listed version must be one the log traces to the identity in force: a version the
  // server added, or a log of its making, is refused before any secret is unwrapped.
  let logHead: LogHead | null = null
  if (log.length) {
    const traced = traceLog(log)
    if (!traced.ok) return { ok: false, problem: 'log', logProblem: traced.problem }
    if (traced.signPk !== signPk) return { ok: false, problem: 'log-identity' }
    for (const v of listed) {
      const logged = traced.versions.find((t) => t.keyVersion === v.keyVersion)
      if (!logged || logged.boxPk !== v.boxPk) return { ok: false, problem: 'not-logged', keyVersion: v.keyVersion }
    }
    logHead = traced.head
  }
  const seen = new Set<number>()
  const opened: Uint8Array[] = []
  const refuse = (problem: KeyProblem, keyVersion?: number): CheckedInbox => {
    for (const secret of opened) sodium().memzero(secret)
    return { ok: false, problem, ...(keyVersion === undefined ? {} : { keyVersion }) }
  }
  let identity: KeyPair | null = null
  const versions: Array<{ keyVersion: number; encryption: KeyPair }> = []
  for (const v of listed) {
    if (seen.has(v.keyVersion)) return refuse('duplicate-version', v.keyVersion)
    seen.add(v.keyVersion)
    let boxSk: Uint8Array, signSk: Uint8Array, boxPk: Uint8Array, identityPk: Uint8Array
    try {
      boxPk = fromB64(v.boxPk)
      identityPk = fromB64(v.signPk)
      boxSk = openSealedSecret(v.boxSkWrap, reviewer)
      opened.push(boxSk)
      signSk = openSealedSecret(v.signSkWrap, reviewer)
      opened.push(signSk)
    } catch {
      return refuse('unreadable-wrap', v.keyVersion)
    }
    if (!identityMatches(signSk, identityPk)) return refuse('identity-secret', v.keyVersion)
    if (!boxMatches(boxSk, boxPk)) return refuse('box-secret', v.keyVersion)
    // Verified under the first version's identity: a version naming any other identity fails here,
    // so every version of the inbox shares one identity key.
    if (!verifyPublishedKey({ keyVersion: v.keyVersion, boxPk: v.boxPk, signPk: v.signPk, signature: v.signature }, signPk))
      return refuse('signature', v.keyVersion)
    identity ??= { publicKey: identityPk, privateKey: signSk }
    versions.push({ keyVersion: v.keyVersion, encryption: { publicKey: boxPk, privateKey: boxSk } })
  }
  // Every version carries its own wrap of S.sk; all were checked equal to one S.pk, so one is kept.
  for (const secret of opened) if (secret !== identity!.privateKey && !versions.some((v) => v.encryption.privateKey === secret)) sodium().memzero(secret)
  versions.sort((a, b) => a.keyVersion - b.keyVersion)
  return { ok: true, identity: identity!, versions, pinned: pin !== null, logHead }
}
