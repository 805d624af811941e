import type { FileRef } from './files'
import type { Envelope } from './envelope'
import { fromB64, toB64 } from './encoding'
import { openSelfNote, verifyPublishedKey, type PublishedKey, type SelfNote } from './inbox'
import type { ReporterKeys } from './keys'
import { openMessage, openReport } from './thread'

/** A thread as the server hands it to a receipt holder: opaque values and days. */
export type WireMessage = { seq: number; author: 'reporter' | 'reviewer'; keyVersion: number; envelope: Envelope; day: string }
export type WireThread = {
  receivedDay: string
  status: string
  envelope: Envelope
  selfNote: string
  keys: PublishedKey[]
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
}

export type ReporterView = {
  answers: unknown
  /** Files sent with the report itself. */
  files: FileRef[]
  pinned: SelfNote
  messages: ReporterMessage[]
  /** Newest inbox key signed by the pinned identity: what follow-ups are sealed to. */
  sealTo: PublishedKey | null
}

/** Opens a whole thread with the receipt's keys, trusting only the identity pinned in the self-note. */
export function openThreadAsReporter(t: WireThread, keys: ReporterKeys): ReporterView {
  const pinned = openSelfNote(t.selfNote, keys.noteKey)
  const report = openReport(t.envelope, { as: 'reporter-self', noteKey: keys.noteKey })
  const ownSignPk = toB64(keys.sign.publicKey)
  const trusted = t.keys.filter((k) => verifyPublishedKey(k, pinned.inboxSignPk))
  const messages = t.messages.map((m): ReporterMessage => {
    const base = { seq: m.seq, author: m.author, day: m.day }
    try {
      if (m.author === 'reporter') {
        const opened = openMessage(m.envelope, { as: 'reporter-self', noteKey: keys.noteKey }, {
          reporterSignPk: ownSignPk,
          inboxSignPk: pinned.inboxSignPk,
        })
        const ok = opened.kind === 'followup' && opened.verified
        return { ...base, text: opened.text, files: ok ? opened.files : [], verified: ok }
      }
      const key = trusted.find((k) => k.keyVersion === m.keyVersion)
      if (!key) return { ...base, text: '', files: [], verified: false }
      const opened = openMessage(
        m.envelope,
        { as: 'reporter-reply', reporterBoxSk: keys.box.privateKey, inboxPk: fromB64(key.boxPk) },
        { reporterSignPk: ownSignPk, inboxSignPk: pinned.inboxSignPk },
      )
      if (opened.kind !== 'reply' || !opened.verified) return { ...base, text: '', files: [], verified: false }
      return { ...base, text: opened.text, reviewer: opened.reviewer, files: opened.files, verified: true }
    } catch {
      return { ...base, text: '', files: [], verified: false }
    }
  })
  const sealTo = trusted.reduce<PublishedKey | null>((a, k) => (!a || k.keyVersion > a.keyVersion ? k : a), null)
  return { answers: report.verified ? report.answers : null, files: report.verified ? report.files : [], pinned, messages, sealTo }
}
