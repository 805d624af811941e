import { fromB64, toB64 } from './encoding'
import { openEnvelope, sealEnvelope, type Envelope } from './envelope'
import { sealSelfNote, verifyPublishedKey, type PublishedKey } from './inbox'
import { deriveReporterKeys, type KeyPair, type ReporterKeys } from './keys'
import { readSignedJson, signJson } from './signing'
import type { FileRef } from './files'

/** Only well-formed references survive opening: a file the reader cannot describe is not offered. */
export function asFileRefs(v: unknown): FileRef[] {
  if (!Array.isArray(v)) return []
  return v
    .filter(
      (f): f is FileRef =>
        typeof f?.id === 'string' && /^[A-Za-z0-9_-]{22}$/.test(f.id) &&
        typeof f.name === 'string' && typeof f.type === 'string' &&
        Number.isSafeInteger(f.size) && f.size >= 0 &&
        typeof f.key === 'string' && /^[A-Za-z0-9_-]{43}$/.test(f.key),
    )
    .slice(0, 50)
    .map((f) => ({ id: f.id, name: f.name.slice(0, 200), type: f.type.slice(0, 100), size: f.size, key: f.key }))
}

/** What a report submission carries: opaque values only (protocol.md "Filing a report", step 5). */
export type SealedReport = {
  inboxId: string
  keyVersion: number
  envelope: Envelope
  locator: string
  signPk: string
  boxPk: string
  selfNote: string
}

export type Target = PublishedKey & { inboxId: string }

/** The first message: the answers, and the reporter's public keys that later follow-ups must match. */
export function sealReport(answers: unknown, receipt: string, target: Target, files: FileRef[] = []): SealedReport {
  if (!verifyPublishedKey(target)) throw new Error('inbox key signature does not verify')
  const keys = deriveReporterKeys(receipt)
  const signPk = toB64(keys.sign.publicKey)
  const boxPk = toB64(keys.box.publicKey)
  const plain = signJson('report', { type: 'report', answers, reporter: { signPk, boxPk }, ...(files.length ? { files } : {}) }, keys.sign.privateKey)
  return {
    inboxId: target.inboxId,
    keyVersion: target.keyVersion,
    envelope: sealEnvelope(plain, fromB64(target.boxPk), { kind: 'self', noteKey: keys.noteKey }),
    locator: keys.locator,
    signPk,
    boxPk,
    selfNote: sealSelfNote(
      { inboxId: target.inboxId, inboxSignPk: target.signPk, keyVersion: target.keyVersion },
      keys.noteKey,
    ),
  }
}

export function sealFollowup(text: string, keys: ReporterKeys, inboxBoxPk: string, files: FileRef[] = []): Envelope {
  const plain = signJson('followup', { type: 'followup', text, ...(files.length ? { files } : {}) }, keys.sign.privateKey)
  return sealEnvelope(plain, fromB64(inboxBoxPk), { kind: 'self', noteKey: keys.noteKey })
}

/** A reviewer's reply, signed by the inbox identity and readable by the inbox and the reporter. */
export function sealReply(
  reply: { text: string; reviewer: string; files?: FileRef[] },
  inbox: { encryption: KeyPair; identity: KeyPair },
  reporterBoxPk: string,
): Envelope {
  const { files = [], ...rest } = reply
  const plain = signJson('reply', { type: 'reply', ...rest, ...(files.length ? { files } : {}) }, inbox.identity.privateKey)
  return sealEnvelope(plain, inbox.encryption.publicKey, {
    kind: 'reply',
    reporterBoxPk: fromB64(reporterBoxPk),
    inboxSk: inbox.encryption.privateKey,
  })
}

export type OpenedReport = {
  answers: unknown
  reporter: { signPk: string; boxPk: string }
  files: FileRef[]
  /** The report is signed by the key it names; anything else was not written by a receipt holder. */
  verified: boolean
}

function asReport(value: unknown): Omit<OpenedReport, 'verified'> {
  const v = value as { type?: unknown; answers?: unknown; reporter?: { signPk?: unknown; boxPk?: unknown }; files?: unknown }
  if (v?.type !== 'report' || typeof v.reporter?.signPk !== 'string' || typeof v.reporter?.boxPk !== 'string')
    throw new Error('not a report')
  return { answers: v.answers, reporter: { signPk: v.reporter.signPk, boxPk: v.reporter.boxPk }, files: asFileRefs(v.files) }
}

export function openReport(env: Envelope, opener: Parameters<typeof openEnvelope>[1]): OpenedReport {
  const signed = readSignedJson('report', openEnvelope(env, opener))
  const report = asReport(signed.value)
  return { ...report, verified: signed.signedBy(fromB64(report.reporter.signPk)) }
}

export type OpenedMessage =
  | { kind: 'followup'; text: string; files: FileRef[]; verified: boolean }
  | { kind: 'reply'; text: string; reviewer: string; files: FileRef[]; verified: boolean }

/**
 * Opens a follow-up or reply. A follow-up must be signed by the reporter key named inside the
 * first sealed report; a reply by the inbox identity the reader trusts. Unverified text is
 * returned flagged so the caller can show it as "could not be verified", never as words.
 */
export function openMessage(
  env: Envelope,
  opener: Parameters<typeof openEnvelope>[1],
  trust: { reporterSignPk: string; inboxSignPk: string },
): OpenedMessage {
  const plain = openEnvelope(env, opener)
  const outer = readSignedJson('followup', plain)
  const v = outer.value as { type?: unknown; text?: unknown; reviewer?: unknown; files?: unknown }
  if (typeof v?.text !== 'string') throw new Error('not a message')
  const files = asFileRefs(v.files)
  if (v.type === 'followup') return { kind: 'followup', text: v.text, files, verified: outer.signedBy(fromB64(trust.reporterSignPk)) }
  if (v.type === 'reply') {
    const asReply = readSignedJson('reply', plain)
    return {
      kind: 'reply',
      text: v.text,
      reviewer: typeof v.reviewer === 'string' ? v.reviewer : 'Reviewer',
      files,
      verified: asReply.signedBy(fromB64(trust.inboxSignPk)),
    }
  }
  throw new Error('unknown message type')
}


/**
 * An internal note: readable by the inbox only (no reporter wrap), signed by the inbox identity
 * under its own purpose, so a note can never verify as a reply or be shown to a reporter as one.
 */
export function sealNote(note: { text: string; by: string }, inbox: { encryption: KeyPair; identity: KeyPair }): Envelope {
  const plain = signJson('note', { type: 'note', ...note }, inbox.identity.privateKey)
  return sealEnvelope(plain, inbox.encryption.publicKey, { kind: 'none' })
}

export type OpenedNote = { text: string; by: string; verified: boolean }

export function openNote(env: Envelope, opener: Parameters<typeof openEnvelope>[1], inboxSignPk: string): OpenedNote {
  const signed = readSignedJson('note', openEnvelope(env, opener))
  const v = signed.value as { type?: unknown; text?: unknown; by?: unknown }
  if (v?.type !== 'note' || typeof v.text !== 'string') throw new Error('not a note')
  return { text: v.text, by: typeof v.by === 'string' ? v.by : 'A reviewer', verified: signed.signedBy(fromB64(inboxSignPk)) }
}
