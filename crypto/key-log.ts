import * as z from 'zod/mini'
import { canonicalJson } from './canonical-json'
import { concat, fromB64, toB64, utf8 } from './encoding'
import type { KeyPair } from './keys'
import { bytes } from './payloads'
import { sign, verify } from './signing'
import { sodium } from './sodium'

/**
 * The key log (docs/protocol.md, "v2 · The key log"): per inbox, an append-only chain of every
 * key event, each entry signed by the identity key S in force and naming the hash of the one
 * before. A browser seals only to the newest encryption key the log traces to S, and remembers
 * the head it saw, so a key of the server's making, a rolled-back log or a log forked for one
 * visitor is caught rather than used.
 */

/** More than any inbox will ever need (a rotation per removal); a longer log is refused unread. */
export const KEY_LOG_MAX_ENTRIES = 10_000

const sig = bytes(64)
const hash = bytes(32)
// X25519 today; an X-Wing key once the inbox upgrades.
const boxPk = z.union([bytes(32), bytes(1216)])
const pos = z.int().check(z.minimum(0), z.maximum(KEY_LOG_MAX_ENTRIES - 1))
const keyVersion = z.int().check(z.minimum(1), z.maximum(0xffffffff))

export const keyLogEntrySchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('genesis'), pos: z.literal(0), prev: z.null(), signPk: bytes(32), keyVersion: z.literal(1), boxPk, sig }),
  z.strictObject({ kind: z.literal('version'), pos, prev: hash, keyVersion, boxPk, sig }),
  // The old S hands over to the new; the new signs too, so nobody can name a successor they do not hold.
  z.strictObject({ kind: z.literal('succession'), pos, prev: hash, signPk: bytes(32), sig, sigNew: sig }),
])

export type KeyLogEntry = z.infer<typeof keyLogEntrySchema>
export type LogHead = { pos: number; hash: string }

/** Why a log was not trusted; each names one check. */
export type LogProblem = 'empty' | 'too-long' | 'malformed' | 'position' | 'chain' | 'signature' | 'version-order' | 'identity' | 'not-extended'

export type TracedLog =
  | { ok: true; genesisSignPk: string; signPk: string; versions: Array<{ keyVersion: number; boxPk: string }>; head: LogHead }
  | { ok: false; problem: LogProblem; pos?: number }

const HASH_LABEL = utf8('candour-key-log-v2\n')

type Unsigned<E> = E extends KeyLogEntry ? Omit<E, 'sig' | 'sigNew'> : never
const body = (e: KeyLogEntry): Unsigned<KeyLogEntry> => {
  const { sig: _s, ...rest } = e
  if (rest.kind === 'succession') {
    const { sigNew: _n, ...unsigned } = rest
    return unsigned
  }
  return rest
}

/** The hash a following entry names as `prev`: of the whole entry, signatures included. */
export function entryHash(e: KeyLogEntry): string {
  return toB64(sodium().crypto_generichash(32, concat(HASH_LABEL, canonicalJson(e)), null))
}

const signed = (unsigned: Unsigned<KeyLogEntry>, by: KeyPair) => toB64(sign('key-log', canonicalJson(unsigned), by.privateKey))

/** The first entry: the inbox's identity and its first encryption key. */
export function genesisEntry(identity: KeyPair, firstBoxPk: Uint8Array): KeyLogEntry {
  const unsigned = { kind: 'genesis', pos: 0, prev: null, signPk: toB64(identity.publicKey), keyVersion: 1, boxPk: toB64(firstBoxPk) } as const
  return { ...unsigned, sig: signed(unsigned, identity) }
}

/** A new encryption key version, signed by the identity in force at `head`. */
export function versionEntry(head: LogHead, identity: KeyPair, version: number, newBoxPk: Uint8Array): KeyLogEntry {
  const unsigned = { kind: 'version', pos: head.pos + 1, prev: head.hash, keyVersion: version, boxPk: toB64(newBoxPk) } as const
  return { ...unsigned, sig: signed(unsigned, identity) }
}

/**
 * The entries that log a key version: the genesis for an inbox's first key, otherwise a version
 * entry on the head the caller traced.
 */
export function logKey(keys: { identity: KeyPair; encryption: { publicKey: Uint8Array }; keyVersion: number }, head?: LogHead): KeyLogEntry[] {
  if (!head) {
    if (keys.keyVersion !== 1) throw new Error('only the first key version starts a log')
    return [genesisEntry(keys.identity, keys.encryption.publicKey)]
  }
  return [versionEntry(head, keys.identity, keys.keyVersion, keys.encryption.publicKey)]
}

/** Hands the inbox from one identity key to the next, signed by both. */
export function successionEntry(head: LogHead, from: KeyPair, to: KeyPair): KeyLogEntry {
  const unsigned = { kind: 'succession', pos: head.pos + 1, prev: head.hash, signPk: toB64(to.publicKey) } as const
  return { ...unsigned, sig: signed(unsigned, from), sigNew: signed(unsigned, to) }
}

const signedBy = (unsigned: Unsigned<KeyLogEntry>, signature: string, signPk: string) =>
  verify('key-log', canonicalJson(unsigned), fromB64(signature), fromB64(signPk))

/**
 * Walks a log from its genesis, following each succession, and returns what it traces: the
 * identity in force, every encryption key version in order, and the head. `genesisSignPk` is an
 * identity this reader pinned earlier; `extends` a head hash it saw earlier, which this log must
 * hold (entries are never rewritten, so holding the hash means holding everything before it).
 */
export function traceLog(raw: unknown, expect: { genesisSignPk?: string; extends?: string } = {}): TracedLog {
  if (!Array.isArray(raw) || raw.length === 0) return { ok: false, problem: 'empty' }
  if (raw.length > KEY_LOG_MAX_ENTRIES) return { ok: false, problem: 'too-long' }
  let signPk = ''
  let genesisSignPk = ''
  let prev: string | null = null
  let seenHead = expect.extends === undefined
  const versions: Array<{ keyVersion: number; boxPk: string }> = []
  for (let i = 0; i < raw.length; i++) {
    const parsed = keyLogEntrySchema.safeParse(raw[i])
    if (!parsed.success) return { ok: false, problem: 'malformed', pos: i }
    const e = parsed.data
    if (e.pos !== i) return { ok: false, problem: 'position', pos: i }
    if (e.prev !== prev) return { ok: false, problem: 'chain', pos: i }
    if (e.kind === 'genesis') {
      if (!signedBy(body(e), e.sig, e.signPk)) return { ok: false, problem: 'signature', pos: i }
      genesisSignPk = signPk = e.signPk
      if (expect.genesisSignPk !== undefined && expect.genesisSignPk !== genesisSignPk) return { ok: false, problem: 'identity', pos: i }
      versions.push({ keyVersion: 1, boxPk: e.boxPk })
    } else if (e.kind === 'version') {
      if (!signedBy(body(e), e.sig, signPk)) return { ok: false, problem: 'signature', pos: i }
      // One version after another: a skipped, repeated or reused number is a list no member made.
      if (e.keyVersion !== versions[versions.length - 1].keyVersion + 1) return { ok: false, problem: 'version-order', pos: i }
      versions.push({ keyVersion: e.keyVersion, boxPk: e.boxPk })
    } else {
      if (!signedBy(body(e), e.sig, signPk) || !signedBy(body(e), e.sigNew, e.signPk)) return { ok: false, problem: 'signature', pos: i }
      signPk = e.signPk
    }
    prev = entryHash(e)
    if (prev === expect.extends) seenHead = true
  }
  if (!seenHead) return { ok: false, problem: 'not-extended' }
  return { ok: true, genesisSignPk, signPk, versions, head: { pos: raw.length - 1, hash: prev! } }
}

/** The newest encryption key a traced log names: the only one a browser seals to. */
export const newestKey = (log: Extract<TracedLog, { ok: true }>) => log.versions[log.versions.length - 1]

/** Where a list of entries ends: the head the next entry is signed on. */
export function headOf(entries: KeyLogEntry[]): LogHead {
  const last = entries[entries.length - 1]
  return { pos: last.pos, hash: entryHash(last) }
}

/**
 * The head to record if `key` is the newest key the log traces, under the identity in force;
 * null otherwise. The one rule for sealing a report and for storing a published key.
 */
export function headNaming(log: unknown, key: NamedKey): string | null {
  const traced = traceLog(log)
  return traced.ok && namesNewest(traced, key) ? traced.head.hash : null
}

type NamedKey = { keyVersion: number; boxPk: string; signPk: string }

/** True if `key` is the newest key a traced log names, under the identity in force. */
export function namesNewest(traced: Extract<TracedLog, { ok: true }>, key: NamedKey): boolean {
  const newest = newestKey(traced)
  return traced.signPk === key.signPk && newest.keyVersion === key.keyVersion && newest.boxPk === key.boxPk
}
