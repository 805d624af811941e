import { fromB64, toB64 } from './encoding'
import { openEnvelope, sealEnvelope, type Envelope } from './envelope'
import { sealSelfNote, verifyPublishedKey, type PublishedKey } from './inbox'
import { deriveReporterKeys, type KeyPair, type ReporterKeys } from './keys'
import { messagePayload, notePayload, readSigned, reportPayload, writable, type SealedAnswers } from './payloads'
import { signJson } from './signing'
import type { FileRef } from './files'

/** What a report submission carries: opaque values only (docs/protocol.md, section 6). */
export type SealedReport = {
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
  const payload = writable(
    reportPayload,
    { type: 'report', answers: answers as SealedAnswers, reporter: { signPk, boxPk }, ...(files.length ? { files } : {}) },
    'report',
  )
  const plain = signJson('report', payload, keys.sign.privateKey)
  return {
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

export function sealFollowup(text: string, keys: ReporterKeys, inboxBoxPk: string, files: FileRef[] = []): Envelope {
  const payload = writable(messagePayload, { type: 'followup', text, ...(files.length ? { files } : {}) }, 'message')
  return sealEnvelope(signJson('followup', payload, keys.sign.privateKey), fromB64(inboxBoxPk), { kind: 'self', noteKey: keys.noteKey })
}

/** A reviewer's reply, signed by the inbox identity and readable by the inbox and the reporter. */
export function sealReply(
  reply: { text: string; reviewer: string; files?: FileRef[] },
  inbox: { encryption: KeyPair; identity: KeyPair },
  reporterBoxPk: string,
): Envelope {
  const { files = [], ...rest } = reply
  const payload = writable(messagePayload, { type: 'reply', ...rest, ...(files.length ? { files } : {}) }, 'reply')
  return sealEnvelope(signJson('reply', payload, inbox.identity.privateKey), inbox.encryption.publicKey, {
    kind: 'reply',
    reporterBoxPk: fromB64(reporterBoxPk),
    inboxSk: inbox.encryption.privateKey,
  })
}

export type OpenedReport = {
  /** Well-formed as the format goes; whether they are the app's answers is readAnswers' to say. */
  answers: SealedAnswers
  reporter: { signPk: string; boxPk: string }
  files: FileRef[]
  /** The report is signed by the key it names; anything else was not written by a receipt holder. */
  verified: boolean
}

/**
 * Opens the first message. Throws if the envelope is not for this reader, and UnreadableError if
 * what it holds is not a well-formed report: a caller gets a checked report or nothing.
 */
export function openReport(env: Envelope, opener: Parameters<typeof openEnvelope>[1]): OpenedReport {
  const signed = readSigned(openEnvelope(env, opener), reportPayload)
  const { answers, reporter, files = [] } = signed.value
  return { answers, reporter, files, verified: signed.signedBy('report', reporter.signPk) }
}

export type OpenedMessage =
  | { kind: 'followup'; text: string; files: FileRef[]; verified: boolean }
  | { kind: 'reply'; text: string; reviewer: string; files: FileRef[]; verified: boolean }

/**
 * Opens a follow-up or reply. A follow-up must be signed by the reporter key named inside the
 * first sealed report; a reply by the inbox identity the reader trusts. Unverified text is
 * returned flagged so the caller can show it as "could not be verified", never as words; a
 * message that is not well-formed throws UnreadableError.
 */
export function openMessage(env: Envelope, opener: Parameters<typeof openEnvelope>[1], trust: { reporterSignPk: string; inboxSignPk: string }): OpenedMessage {
  const { value: v, signedBy } = readSigned(openEnvelope(env, opener), messagePayload)
  const files = v.files ?? []
  if (v.type === 'followup') return { kind: 'followup', text: v.text, files, verified: signedBy('followup', trust.reporterSignPk) }
  return { kind: 'reply', text: v.text, reviewer: v.reviewer, files, verified: signedBy('reply', trust.inboxSignPk) }
}

/**
 * An internal note: readable by the inbox only (no reporter wrap), signed by the inbox identity
 * under its own purpose, so a note can never verify as a reply or be shown to a reporter as one.
 */
export function sealNote(note: { text: string; by: string }, inbox: { encryption: KeyPair; identity: KeyPair }): Envelope {
  const payload = writable(notePayload, { type: 'note', ...note }, 'note')
  return sealEnvelope(signJson('note', payload, inbox.identity.privateKey), inbox.encryption.publicKey, { kind: 'none' })
}

export type OpenedNote = { text: string; by: string; verified: boolean }

export function openNote(env: Envelope, opener: Parameters<typeof openEnvelope>[1], inboxSignPk: string): OpenedNote {
  const { value, signedBy } = readSigned(openEnvelope(env, opener), notePayload)
  return { text: value.text, by: value.by, verified: signedBy('note', inboxSignPk) }
}
