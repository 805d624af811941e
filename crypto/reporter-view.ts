import type { FileRef } from './files'
import type { Envelope } from './envelope'
import { fromB64, toB64 } from './encoding'
import { openSelfNote, verifyPublishedKey, type PublishedKey, type SelfNote } from './inbox'
import type { ReporterKeys } from './keys'
import { UnreadableError, type SealedAnswers } from './payloads'
import { newestKey, traceLog } from './key-log'
import { openMessage, openReport } from './thread'

/** A thread as the server hands it to a receipt holder: opaque values and days. */
export type WireMessage = { seq: number; author: 'reporter' | 'reviewer'; keyVersion: number; envelope: Envelope; day: string }
export type WireThread = {
  receivedDay: string
  status: string
  envelope: Envelope
  selfNote: string
  keys: PublishedKey[]
  /** The inbox's key log, traced from the identity and head this receipt's self-note recorded. */
  log: unknown[]
  messages: WireMessage[]
}

export type ReporterMessage = {
  seq: number
  author: 'reporter' | 'reviewer'
  day: string
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
  const messages = t.messages.map((m): ReporterMessage => {
    const base = { seq: m.seq, author: m.author, day: m.day }
    const unverified = { ...base, text: '', files: [], verified: false }
    // Only a key this reader holds can tell "not well-formed" from "not meant for me".
    const key = m.author === 'reporter' ? null : trusted.find((k) => k.keyVersion === m.keyVersion)
    if (m.author === 'reviewer' && !key) return unverified
    try {
      const opener =
        m.author === 'reporter'
          ? ({ as: 'reporter-self', noteKey: keys.noteKey } as const)
          : ({ as: 'reporter-reply', reporterBoxSk: keys.box.privateKey, inboxPk: fromB64(key!.boxPk) } as const)
      const opened = openMessage(m.envelope, opener, trust)
      const ok = opened.verified && opened.kind === (m.author === 'reporter' ? 'followup' : 'reply')
      if (!ok) return unverified
      return { ...base, text: opened.text, ...(opened.kind === 'reply' ? { reviewer: opened.reviewer } : {}), files: opened.files, verified: true }
    } catch {
      return { ...unverified, unreadable: true }
    }
  })
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
