import type { FileRef } from './files'
import type { Envelope } from './envelope'
import { fromB64, toB64 } from './encoding'
import { openSelfNote, verifyPublishedKey, type PublishedKey, type SelfNote } from './inbox'
import type { ReporterKeys } from './keys'
import { UnreadableError, type CaseState, type SealedAnswers } from './payloads'
import { checkChain, linkOf, type ChainLink, type ChainMark, type ChainStep, type ThreadHead } from './chain'
import { newestKey, traceLog } from './key-log'
import { openMessage, openReport } from './thread'

/** A thread as the server hands it to a receipt holder: opaque values and days. */
export type WireMessage = { seq: number; author: 'reporter' | 'reviewer'; keyVersion: number; envelope: Envelope; day: string }
export type WireThread = {
  /** The id it is served under: what a v1 report, which signs none, is placed by. */
  reportId: string
  receivedDay: string
  status: string
  envelope: Envelope
  selfNote: string
  keys: PublishedKey[]
  /** The inbox's key log, traced from the identity and head this receipt's self-note recorded. */
  log: unknown[]
  messages: WireMessage[]
  /** Where an admin deleted a message, with its link: the server's word, shown as such. */
  deleted: { seq: number; link: string }[]
}

export type ReporterMessage = {
  seq: number
  /** 'deleted': a gap the server says an admin made; it carries no words. */
  author: 'reporter' | 'reviewer' | 'deleted'
  day: string
  /** Where it sits in the chain (crypto/chain.ts): anything but 'ok' is shown in words beside it. */
  place: ChainMark
  /** A reviewer's change of status, shown as a line in the thread. */
  state?: CaseState
  text: string
  reviewer?: string
  /** Files that came with the message; empty unless it verified. */
  files: FileRef[]
  /** false: shown as "could not be verified", never as someone's words */
  verified: boolean
  /**
   * Set when the receipt's keys (or a key the pinned identity signed) open it, but what it holds
   * is not a well-formed message: shown as "could not be read", with its number.
   */
  unreadable?: true
}

export type ReporterView = {
  /** Only when the report verified; the app checks them again (readAnswers). */
  answers: SealedAnswers | null
  /** Files sent with the report itself. */
  files: FileRef[]
  /** 'unreadable': it did not open into a well-formed report; 'unverified': not signed by the key it names. */
  report: 'verified' | 'unverified' | 'unreadable'
  /** The inbox identity the reporter sealed to; null when the self-note is not well-formed, so no reply can verify. */
  pinned: SelfNote | null
  messages: ReporterMessage[]
  /** The newest inbox key the key log traces from the pinned identity: what follow-ups are sealed to. */
  sealTo: PublishedKey | null
  /**
   * 'ok' with the head to record for next time; 'unlogged' while the inbox awaits its first log;
   * 'broken' when the log does not trace from what this receipt saw before (a fork, a rollback,
   * another identity, an entry of the server's making). Only 'ok' lets anything be sealed.
   */
  keyLog: { state: 'ok'; head: string } | { state: 'unlogged' | 'broken' }
  /**
   * The chain: whether the report signed its id (v2), whether the head this receipt recorded is
   * still there (false: cut back or forked), the head to record, and where a message written now goes.
   */
  chain: { signed: boolean; holdsRecorded: boolean; head: ThreadHead; next: ChainLink }
  /** The status and outcome the newest signed reply or change of status gave; null if none did. */
  signedState: CaseState | null
}

/**
 * Opens a whole thread with the receipt's keys, trusting only the identity pinned in the
 * self-note. A thread whose self-note and report both fail to open with these keys is not this
 * receipt's, and throws; past that, one part that cannot be read never stops the rest from opening.
 */
export function openThreadAsReporter(t: WireThread, keys: ReporterKeys): ReporterView {
  let pinned: SelfNote | null = null
  let noteOpened = true
  try {
    pinned = openSelfNote(t.selfNote, keys.noteKey)
  } catch (err) {
    if (!(err instanceof UnreadableError)) noteOpened = false
  }
  let report: ReturnType<typeof openReport> | null = null
  try {
    report = openReport(t.envelope, { as: 'reporter-self', noteKey: keys.noteKey })
  } catch {
    // shown as "could not be read"
  }
  // The browser rewrites its self-note, so a damaged one alone must not lock the reporter out of
  // their own report; only when nothing opens is this another receipt's thread.
  if (!noteOpened && !report) throw new Error('this thread is not sealed to this receipt')
  const ownSignPk = toB64(keys.sign.publicKey)
  const trusted = pinned ? t.keys.filter((k) => verifyPublishedKey(k, pinned.inboxSignPk)) : []
  const trust = { reporterSignPk: ownSignPk, inboxSignPk: pinned?.inboxSignPk ?? '' }
  const placed: { message: ReporterMessage; step: ChainStep; state?: CaseState }[] = t.messages.map((m) => {
    const step: ChainStep = { link: linkOf(m.envelope), chain: null, verified: false }
    const base = { seq: m.seq, author: m.author, day: m.day, place: 'ok' as ChainMark }
    const unverified = { message: { ...base, text: '', files: [], verified: false }, step }
    // Only a key this reader holds can tell "not well-formed" from "not meant for me".
    const key = m.author === 'reporter' ? null : trusted.find((k) => k.keyVersion === m.keyVersion)
    if (m.author === 'reviewer' && !key) return unverified
    try {
      const opener =
        m.author === 'reporter'
          ? ({ as: 'reporter-self', noteKey: keys.noteKey } as const)
          : ({ as: 'reporter-reply', reporterBoxSk: keys.box.privateKey, inboxPk: fromB64(key!.boxPk) } as const)
      const opened = openMessage(m.envelope, opener, trust)
      const ok = opened.verified && (m.author === 'reporter' ? opened.kind === 'followup' : opened.kind !== 'followup')
      if (!ok) return unverified
      const state = opened.kind === 'followup' ? undefined : opened.state
      const words = { text: opened.text, files: opened.files, ...(opened.kind === 'followup' ? {} : { reviewer: opened.reviewer }) }
      return { message: { ...base, ...words, ...(state ? { state } : {}), verified: true }, step: { ...step, chain: opened.chain, verified: true }, state }
    } catch {
      return { message: { ...unverified.message, unreadable: true }, step }
    }
  })
  for (const gap of t.deleted) {
    const message: ReporterMessage = { seq: gap.seq, author: 'deleted', day: '', place: 'deleted', text: '', files: [], verified: false }
    placed.push({ message, step: { link: gap.link, chain: null, verified: false, deleted: true } })
  }
  placed.sort((a, b) => a.message.seq - b.message.seq)
  const root = { reportId: report?.reportId ?? t.reportId, link: linkOf(t.envelope), chained: report?.reportId != null }
  const check = checkChain(
    root,
    placed.map((p) => p.step),
    pinned?.threadHead ? { n: pinned.threadHead.seq, link: pinned.threadHead.hash } : undefined,
  )
  const messages = placed.map((p, i) => ({ ...p.message, place: check.marks[i] }))
  // The newest signed state by its place, so a server that reorders cannot bring an old one forward.
  const stated = placed.filter((p) => p.state && p.step.chain).sort((a, b) => b.step.chain!.n - a.step.chain!.n)[0]
  const last = placed.at(-1)?.step.link ?? root.link
  const keyLog = traceFromNote(t.log, pinned)
  const newest = keyLog.state === 'ok' && keyLog.traced.ok ? newestKey(keyLog.traced) : null
  const sealTo = (newest && trusted.find((k) => k.keyVersion === newest.keyVersion && k.boxPk === newest.boxPk)) ?? null
  const state = !report ? 'unreadable' : report.verified ? 'verified' : 'unverified'
  return {
    answers: report?.verified ? report.answers : null,
    files: report?.verified ? report.files : [],
    report: state,
    pinned,
    messages,
    sealTo,
    keyLog: keyLog.state === 'ok' ? { state: 'ok', head: keyLog.head } : { state: keyLog.state },
    chain: { signed: root.chained, holdsRecorded: check.holdsRecorded, head: check.head, next: { report: root.reportId, n: placed.length + 1, prev: last } },
    signedState: stated?.state ?? null,
  }
}

/**
 * The log as this receipt can trust it: extending the head it last saw, which fixes every entry
 * up to it and so its genesis too; a note from before heads were kept traces from the identity it
 * sealed to. Not from the pinned identity when a head is known: that is the identity in force at
 * sealing, which after a succession is not the genesis.
 */
export function traceFromNote(log: unknown[], pinned: SelfNote | null) {
  if (!pinned) return { state: 'broken' as const }
  if (!log.length) return { state: pinned.logHead ? ('broken' as const) : ('unlogged' as const) }
  const traced = traceLog(log, pinned.logHead ? { extends: pinned.logHead } : { genesisSignPk: pinned.inboxSignPk })
  return traced.ok ? { state: 'ok' as const, head: traced.head.hash, traced } : { state: 'broken' as const }
}

/**
 * The heads a self-note should now hold, or null when it already does: the key log's when it
 * traced, the thread's when the one recorded is still there and a newer one is in place. A thread
 * that lost the recorded head keeps it, so every later visit says so too.
 */
export function headsToRecord(view: ReporterView): Pick<SelfNote, 'logHead' | 'threadHead'> | null {
  if (!view.pinned) return null
  const { logHead, threadHead } = view.pinned
  const log = view.keyLog.state === 'ok' ? view.keyLog.head : logHead
  const { head, holdsRecorded } = view.chain
  // The report alone is always there: a head is worth recording from the first message on.
  const thread = holdsRecorded && head.n > (threadHead?.seq ?? 0) ? { seq: head.n, hash: head.link } : threadHead
  if (log === logHead && thread === threadHead) return null
  return { ...(log ? { logHead: log } : {}), ...(thread ? { threadHead: thread } : {}) }
}
