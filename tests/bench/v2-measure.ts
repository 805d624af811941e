/**
 * What protocol v2 costs next to v1, as pieces the benchmarks share (bench:v2, bench:inbox,
 * bench:login): timing operations side by side, and the v1 and v2 forms of the same work. Both
 * sides run in the same process and alternate round by round, so that machine noise falls on
 * both and the ratio holds even when the absolute figures drift.
 */
import {
  checkChain,
  checkGrant,
  checkInboxKeys,
  INBOX_WRAP_BYTES,
  linkOf,
  logKey,
  headOf,
  makeGrant,
  newBoxKeyPair,
  newInboxKeys,
  pinInbox,
  publishKey,
  sealSecretTo,
  toB64,
  type ChainStep,
  type Envelope,
  type InboxKeys,
  type KeyLogEntry,
  type KeyPair,
  type ListedKeyVersion,
} from '../../crypto/index'
// The X-Wing verb is not on crypto/index.ts until a wrap site uses it (ADR 30); tests may import it.
import { newKemKeyPair, unwrap, wrap, wrapBytes, wrapContext } from '../../crypto/kem'
import { sodium } from '../../crypto/sodium'
import { fmt, median } from './lib'

/** Bytes of one message key's wrap to the inbox: v1 a sealed box, v2 an X-Wing wrap. */
export const V1_WRAP_BYTES = INBOX_WRAP_BYTES
export const V2_WRAP_BYTES = wrapBytes(32)
const b64Chars = (bytes: number) => Math.ceil((bytes * 4) / 3)
/** What a v2 wrap adds to every report's JSON, as unpadded base64url. */
export const WRAP_JSON_GROWTH = b64Chars(V2_WRAP_BYTES) - b64Chars(V1_WRAP_BYTES)

/** µs per call of f, over n calls. */
export function perOp(f: () => void, n: number): number {
  const t = performance.now()
  for (let i = 0; i < n; i++) f()
  return ((performance.now() - t) * 1000) / n
}

/**
 * µs per call of each side, one sample a round; within a round every side runs once in turn, in
 * reverse order every other round, so that no side always runs first after a pause.
 */
export function sideBySide<K extends string>(sides: Record<K, () => void>, rounds: number, perRound: number): Record<K, number[]> {
  const names = Object.keys(sides) as K[]
  const out = Object.fromEntries(names.map((k) => [k, [] as number[]])) as Record<K, number[]>
  for (let r = 0; r < rounds; r++) for (const k of r % 2 ? [...names].reverse() : names) out[k].push(perOp(sides[k], perRound))
  return out
}

const mid = (x: number[] | number) => (typeof x === 'number' ? x : median(x))

/**
 * v2 / v1: for samples taken side by side, the median of the rounds' own ratios, since both sides
 * of one round ran moments apart under the same load; otherwise the ratio of the figures.
 */
export function ratioOf(v1: number[] | number, v2: number[] | number): number {
  if (Array.isArray(v1) && Array.isArray(v2) && v1.length === v2.length) return median(v2.map((b, i) => b / v1[i]))
  return mid(v2) / mid(v1)
}

/** A table row: the median of each side and v2 / v1 (a side with no figure is shown as none). */
export function ratioRow(what: string, v1: number[] | number | null, v2: number[] | number, unit = 'µs', digits = 1): string {
  const a = v1 === null ? null : `${fmt(mid(v1), digits)} ${unit}`
  return `| ${what} | ${a ?? 'none'} | ${fmt(mid(v2), digits)} ${unit} | ${v1 === null ? '' : `${fmt(ratioOf(v1, v2), 2)}×`} |`
}

/**
 * One 32-byte message key wrapped as v1 wraps it (a sealed box to the inbox's X25519 key) and as
 * v2 will (X-Wing, bound to its place), and each form's open and make.
 */
export function wrapOps() {
  const s = sodium()
  const key = s.randombytes_buf(32)
  const box = s.crypto_box_keypair()
  const boxWrap = s.crypto_box_seal(key, box.publicKey)
  const kem = newKemKeyPair()
  const context = wrapContext('message-key', 'bench-inbox', 1, 'bench-report')
  const kemWrap = wrap(key, kem.publicKey, context)
  return {
    v1Open: () => void s.crypto_box_seal_open(boxWrap, box.publicKey, box.privateKey),
    v2Open: () => void unwrap(kemWrap, kem, context),
    v1Make: () => void s.crypto_box_seal(key, box.publicKey),
    v2Make: () => void wrap(key, kem.publicKey, context),
  }
}

/**
 * Chain verification as a v2 reader does it for one thread: every message's link, then the
 * thread's check. `envelopes[0]` stands for the report, the rest follow it in order; the chain
 * each names is what its author would have signed, so every place comes out ok.
 */
export function chainCheck(envelopes: Array<Pick<Envelope, 'body'>>, reportId = 'bench-report-0000'): () => void {
  const links = envelopes.map(linkOf)
  const root = { reportId, link: links[0], chained: true }
  const chains = links.slice(1).map((_, i) => ({ report: reportId, n: i + 1, prev: links[i] }))
  return () => {
    const steps: ChainStep[] = envelopes.slice(1).map((e, i) => ({ link: linkOf(e), chain: chains[i], verified: true }))
    const { marks } = checkChain({ ...root, link: linkOf(envelopes[0]) }, steps)
    if (marks.some((m) => m !== 'ok')) throw new Error(`bench chain did not hold: ${marks.join()}`)
  }
}

/**
 * An inbox with `versions` key versions under one identity, as an honest server lists it for a
 * reviewer (both secrets sealed to R.pk), with its key log, the reviewer's pin and an approver's
 * grant: what the reviewer's browser checks on unlock.
 */
export function reviewerInbox(versions: number, inboxId = 'bench-inbox') {
  const reviewer: KeyPair = newBoxKeyPair()
  const approver: KeyPair = newBoxKeyPair()
  const first = newInboxKeys(1)
  const keys: InboxKeys[] = Array.from({ length: versions }, (_, i) =>
    i === 0 ? first : { identity: first.identity, encryption: newBoxKeyPair(), keyVersion: i + 1 },
  )
  const listed: ListedKeyVersion[] = keys.map((k) => ({
    ...publishKey(k),
    boxSkWrap: sealSecretTo(k.encryption.privateKey, reviewer.publicKey),
    signSkWrap: sealSecretTo(k.identity.privateKey, reviewer.publicKey),
  }))
  const log: KeyLogEntry[] = []
  for (const k of keys) log.push(...logKey(k, log.length ? headOf(log) : undefined))
  const signPk = toB64(first.identity.publicKey)
  const pin = { signPk, pin: pinInbox(reviewer.privateKey, inboxId, signPk) }
  const grant = makeGrant(inboxId, signPk, approver, reviewer.publicKey)
  const ok = (r: ReturnType<typeof checkInboxKeys>) => {
    if (!r.ok) throw new Error(`bench inbox refused: ${r.problem}`)
  }
  return {
    logEntries: log.length,
    /** A known (pinned) inbox: v1 checks its versions, v2 also traces its key log. */
    v1Known: () => ok(checkInboxKeys(inboxId, listed, reviewer, pin)),
    v2Known: () => ok(checkInboxKeys(inboxId, listed, reviewer, pin, log)),
    /** First sight of an inbox someone let this reviewer into: v2 also checks the approver's grant. */
    v1FirstSight: () => ok(checkInboxKeys(inboxId, listed, reviewer, null)),
    v2FirstSight: () => {
      ok(checkInboxKeys(inboxId, listed, reviewer, null, log))
      if (!checkGrant(grant, inboxId, signPk, toB64(approver.publicKey), reviewer)) throw new Error('bench grant refused')
    },
    grant: () => void checkGrant(grant, inboxId, signPk, toB64(approver.publicKey), reviewer),
  }
}
