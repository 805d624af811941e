import { fromB64, toB64 } from './encoding'
import { openEnvelope, sealEnvelope, type Envelope } from './envelope'
import { sealSelfNote, verifyPublishedKey, type PublishedKey } from './inbox'
import { deriveReporterKeys, type KeyPair, type ReporterKeys } from './keys'
import { newReportId, type ChainLink } from './chain'
import { messagePayload, notePayload, readSigned, reportPayload, writable, type CaseState, type SealedAnswers } from './payloads'
import { signJson } from './signing'
import type { FileRef } from './files'

/** What a report submission carries: opaque values only (docs/protocol.md, section 6). */
export type SealedReport = {
  /** Chosen here, so the report signs the id of the thread it starts. */
  reportId: string
  inboxId: string
  keyVersion: number
  envelope: Envelope
  locator: string
  signPk: string
  boxPk: string
  selfNote: string
}

/** Where a report is sealed: the key, its inbox, and the key log head the sealing browser traced it through. */
export type Target = PublishedKey & { inboxId: string; logHead?: string }

// Every seal verb checks its payload against the schema its open verb applies, so nothing this
// code writes is ever refused by the reader as unreadable.

/** The first message: the answers, and the reporter's public keys that later follow-ups must match. */
export function sealReport(answers: unknown, receipt: string, target: Target, files: FileRef[] = []): SealedReport {
  if (!verifyPublishedKey(target)) throw new Error('inbox key signature does not verify')
  const keys = deriveReporterKeys(receipt)
  const signPk = toB64(keys.sign.publicKey)
  const boxPk = toB64(keys.box.publicKey)
  const reportId = newReportId()
  const payload = writable(
    reportPayload,
    { type: 'report', answers: answers as SealedAnswers, reporter: { signPk, boxPk }, ...(files.length ? { files } : {}), chain: { report: reportId } },
    'report',
  )
  const plain = signJson('report', payload, keys.sign.privateKey)
  return {
    reportId,
    inboxId: target.inboxId,
    keyVersion: target.keyVersion,
    envelope: sealEnvelope(plain, fromB64(target.boxPk), { kind: 'self', noteKey: keys.noteKey }),
    locator: keys.locator,
    signPk,
    boxPk,
    selfNote: sealSelfNote(
      { inboxId: target.inboxId, inboxSignPk: target.signPk, keyVersion: target.keyVersion, ...(target.logHead ? { logHead: target.logHead } : {}) },
      keys.noteKey,
    ),
  }
}

/** `chain` null only for what a v1 writer sealed (older-release fixtures): everything new is chained. */
const chained = (chain: ChainLink | null) => (chain ? { chain } : {})

export function sealFollowup(text: string, keys: ReporterKeys, inboxBoxPk: string, files: FileRef[], chain: ChainLink | null): Envelope {
  const payload = writable(messagePayload, { type: 'followup', text, ...(files.length ? { files } : {}), ...chained(chain) }, 'message')
  return sealEnvelope(signJson('followup', payload, keys.sign.privateKey), fromB64(inboxBoxPk), { kind: 'self', noteKey: keys.noteKey })
}

type InboxPair = { encryption: KeyPair; identity: KeyPair }

/** Readable by the inbox and the reporter, signed by the inbox identity. */
const toBoth = (plain: Uint8Array, inbox: InboxPair, reporterBoxPk: string) =>
  sealEnvelope(plain, inbox.encryption.publicKey, { kind: 'reply', reporterBoxPk: fromB64(reporterBoxPk), inboxSk: inbox.encryption.privateKey })

/** A reviewer's reply, with the case state it leaves the report in (v2). */
export function sealReply(
  reply: { text: string; reviewer: string; files?: FileRef[]; chain: ChainLink | null; state?: CaseState },
  inbox: InboxPair,
  reporterBoxPk: string,
): Envelope {
  const { files = [], chain, state, ...rest } = reply
  const payload = writable(
    messagePayload,
    { type: 'reply', ...rest, ...(files.length ? { files } : {}), ...chained(chain), ...(state ? { state } : {}) },
    'reply',
  )
  return toBoth(signJson('reply', payload, inbox.identity.privateKey), inbox, reporterBoxPk)
}

/** A change of status, in the thread, so the status a reporter is shown is one a reviewer signed. */
export function sealState(change: { reviewer: string; chain: ChainLink; state: CaseState }, inbox: InboxPair, reporterBoxPk: string): Envelope {
  const payload = writable(messagePayload, { type: 'state', ...change }, 'status')
  return toBoth(signJson('state', payload, inbox.identity.privateKey), inbox, reporterBoxPk)
}

export type OpenedReport = {
  /** Well-formed as the format goes; whether they are the app's answers is readAnswers' to say. */
  answers: SealedAnswers
  reporter: { signPk: string; boxPk: string }
  files: FileRef[]
  /** The report is signed by the key it names; anything else was not written by a receipt holder. */
  verified: boolean
  /** The id it signed (v2); null for a v1 report. */
  reportId: string | null
}

/**
 * Opens the first message. Throws if the envelope is not for this reader, and UnreadableError if
 * what it holds is not a well-formed report: a caller gets a checked report or nothing.
 */
export function openReport(env: Envelope, opener: Parameters<typeof openEnvelope>[1]): OpenedReport {
  const signed = readSigned(openEnvelope(env, opener), reportPayload)
  const { answers, reporter, files = [], chain } = signed.value
  return { answers, reporter, files, verified: signed.signedBy('report', reporter.signPk), reportId: chain?.report ?? null }
}

/** `chain`: where its author placed it (null for v1); `state`: the case as a reviewer signed it. */
type Placed = { verified: boolean; chain: ChainLink | null }
export type OpenedMessage =
  | ({ kind: 'followup'; text: string; files: FileRef[] } & Placed)
  | ({ kind: 'reply'; text: string; reviewer: string; files: FileRef[]; state?: CaseState } & Placed)
  // No words and no files of its own: the state it signed is what it says.
  | ({ kind: 'state'; text: ''; reviewer: string; files: FileRef[]; state: CaseState } & Placed)

/**
 * Opens a follow-up, reply or state. A follow-up must be signed by the reporter key named inside
 * the first sealed report; a reply or state by the inbox identity the reader trusts. Unverified text is
 * returned flagged so the caller can show it as "could not be verified", never as words; a
 * message that is not well-formed throws UnreadableError.
 */
export function openMessage(env: Envelope, opener: Parameters<typeof openEnvelope>[1], trust: { reporterSignPk: string; inboxSignPk: string }): OpenedMessage {
  const { value: v, signedBy } = readSigned(openEnvelope(env, opener), messagePayload)
  if (v.type === 'state')
    return { kind: 'state', text: '', reviewer: v.reviewer, files: [], state: v.state, chain: v.chain, verified: signedBy('state', trust.inboxSignPk) }
  const [files, chain] = [v.files ?? [], v.chain ?? null]
  if (v.type === 'followup') return { kind: 'followup', text: v.text, files, chain, verified: signedBy('followup', trust.reporterSignPk) }
  const state = v.state ? { state: v.state } : {}
  return { kind: 'reply', text: v.text, reviewer: v.reviewer, files, chain, ...state, verified: signedBy('reply', trust.inboxSignPk) }
}

/**
 * An internal note: readable by the inbox only (no reporter wrap), signed by the inbox identity
 * under its own purpose, so a note can never verify as a reply or be shown to a reporter as one.
 */
export function sealNote(note: { text: string; by: string }, inbox: InboxPair): Envelope {
  const payload = writable(notePayload, { type: 'note', ...note }, 'note')
  return sealEnvelope(signJson('note', payload, inbox.identity.privateKey), inbox.encryption.publicKey, { kind: 'none' })
}

export type OpenedNote = { text: string; by: string; verified: boolean }

export function openNote(env: Envelope, opener: Parameters<typeof openEnvelope>[1], inboxSignPk: string): OpenedNote {
  const { value, signedBy } = readSigned(openEnvelope(env, opener), notePayload)
  return { text: value.text, by: value.by, verified: signedBy('note', inboxSignPk) }
}
