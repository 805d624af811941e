import { readEnvelope } from '../db/envelope-text.server'
import { openMessage, openNote, openReport, toB64, UnreadableError, type FileRef, type KeyPair } from '#crypto'
import { allMessages, type MessageRow } from '../db/messages.server'
import { reportsOfInbox } from '../db/reports.server'
import type { Store } from '../db/store.server'
import { readAnswers } from '#common/report-fields'
import { t, type Message } from '#common/i18n/message'
import type { readKeyFile } from './inbox-key-file.server'

type Keys = ReturnType<typeof readKeyFile>

export type Verdict = 'verified' | 'not-verified' | 'cannot-open'

/** An evidence file named inside a sealed message; `message` is its seq, or null for the report itself. */
export type FileEntry = { id: string; name: string; type: string; size: number; message: number | null; savedTo?: string; notSaved?: Message }

export type MessageEntry = {
  seq: number
  /** Who the server says wrote it; the sealed kind must agree for a verdict of verified. */
  author: 'reporter' | 'reviewer' | 'note'
  day: string
  keyVersion: number
  verdict: Verdict
  /** Only for a verified message: unverified words are never shown as anyone's. */
  text: string | null
  /** The name a reply was signed under, or who wrote a note. */
  signedAs: string | null
  files: FileEntry[]
  /** A change of status, or the case a reply left, as its reviewer signed it for the reporter. */
  state?: { status: string; outcome?: string }
}

export type ReportEntry = {
  n: number
  id: string
  receivedDay: string
  status: string
  keyVersion: number
  verdict: Verdict
  /** Said in the operator's language in text, in English in JSON (inbox-text.server.ts). */
  warnings: Message[]
  /** The decrypted answers as sent, whatever their shape; `answersForm` says whether they fit the form. */
  answers: unknown
  answersForm: 'expected' | 'unexpected' | null
  files: FileEntry[]
  messages: MessageEntry[]
}

export type InboxDocument = { inbox: { id: string; name: string }; reports: ReportEntry[] }

const fileEntries = (files: FileRef[], message: number | null): FileEntry[] =>
  files.map((f) => ({ id: f.id, name: f.name, type: f.type, size: f.size, message }))

/**
 * Opens every report of an offline inbox on the operator's machine. Signatures are checked
 * against the reporter key inside the first sealed report, never the server's column, and
 * against the inbox identity for replies and notes. Nothing malformed stops the rest: a report or
 * message that cannot be opened is listed as such. File keys come back alongside, by file id, for
 * extraction; they are never part of the document.
 */
export async function openInbox(store: Store, keys: Keys): Promise<{ doc: InboxDocument; fileKeys: Map<string, string> }> {
  const rows = await reportsOfInbox(store.read, keys.inboxId)
  const identityPk = toB64(keys.identity.publicKey)
  const fileKeys = new Map<string, string>()
  const keep = (files: FileRef[]) => files.forEach((f) => fileKeys.set(f.id, f.key))
  const reports: ReportEntry[] = []
  for (const [i, r] of rows.entries()) {
    const entry: ReportEntry = {
      n: i + 1,
      id: r.id,
      receivedDay: r.received_day,
      status: r.status,
      keyVersion: r.key_version,
      verdict: 'cannot-open',
      warnings: [],
      answers: null,
      answersForm: null,
      files: [],
      messages: [],
    }
    reports.push(entry)
    const inboxKey = keys.encryption.get(r.key_version)
    if (!inboxKey) {
      entry.warnings.push(t('admin.open.missingVersion', { version: r.key_version }))
      continue
    }
    let reporterSignPk: string
    try {
      const report = openReport(readEnvelope(r.envelope), { as: 'inbox', inbox: inboxKey })
      reporterSignPk = report.reporter.signPk
      entry.verdict = report.verified ? 'verified' : 'not-verified'
      if (!report.verified) entry.warnings.push(t('admin.open.reportUnverified'))
      if (report.reporter.signPk !== r.sign_pk) entry.warnings.push(t('admin.open.reporterKeyDiffers'))
      entry.answers = report.answers ?? null
      entry.answersForm = readAnswers(report.answers) ? 'expected' : 'unexpected'
      entry.files = fileEntries(report.files, null)
      if (report.verified) keep(report.files)
    } catch (err) {
      entry.warnings.push(err instanceof UnreadableError ? t('admin.open.unreadable') : t('admin.open.damaged'))
      continue
    }
    const messages = await allMessages(store.read, r.id)
    for (const m of messages) entry.messages.push(openOne(m, keys.encryption.get(m.key_version), { reporterSignPk, inboxSignPk: identityPk }, keep))
  }
  return { doc: { inbox: { id: keys.inboxId, name: keys.name }, reports }, fileKeys }
}

function openOne(
  m: MessageRow,
  key: KeyPair | undefined,
  trust: { reporterSignPk: string; inboxSignPk: string },
  keep: (files: FileRef[]) => void,
): MessageEntry {
  const base = { seq: m.seq, author: m.author_kind, day: m.created_day, keyVersion: m.key_version }
  const unverified = (verdict: Verdict): MessageEntry => ({ ...base, verdict, text: null, signedAs: null, files: [] })
  if (!key) return unverified('cannot-open')
  try {
    const opener = { as: 'inbox' as const, inbox: key }
    if (m.author_kind === 'note') {
      const note = openNote(readEnvelope(m.envelope), opener, trust.inboxSignPk)
      return note.verified ? { ...base, verdict: 'verified', text: note.text, signedAs: note.by, files: [] } : unverified('not-verified')
    }
    const msg = openMessage(readEnvelope(m.envelope), opener, trust)
    // The kind sealed inside must match the author the server claims.
    const kindMatches = (m.author_kind === 'reporter') === (msg.kind === 'followup')
    if (!msg.verified || !kindMatches) return unverified('not-verified')
    keep(msg.files)
    const state = msg.kind === 'followup' || !msg.state ? {} : { state: msg.state }
    // A change of status has no words of its own: the state it signed is what it says.
    return {
      ...base,
      verdict: 'verified',
      text: msg.text,
      signedAs: msg.kind === 'followup' ? null : msg.reviewer,
      files: fileEntries(msg.files, m.seq),
      ...state,
    }
  } catch {
    return unverified('cannot-open')
  }
}
