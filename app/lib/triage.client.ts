import type { Envelope, FileRef } from '../../crypto/index'
import type { Crypto } from './crypto.client'
import { keyring, type UnlockedInbox } from './keyring.client'

/** The unlocked keys of one version of an inbox, or undefined when this tab does not hold them. */
export function inboxKey(inboxId: string, keyVersion: number): UnlockedInbox | undefined {
  return keyring()?.inboxes.get(inboxId)?.find((v) => v.keyVersion === keyVersion)
}

export type CaseFields = {
  status: string
  outcome: string | null
  assigneeId: string | null
  acknowledgedDay: string | null
  feedbackDay: string | null
  closedDay: string | null
  withdrawalRequestedDay: string | null
  withdrawalDeclinedDay: string | null
}
export type WireMessage = { seq: number; author: 'reporter' | 'reviewer' | 'note'; keyVersion: number; envelope: Envelope; day: string }
export type TrailEntry = { at: string; action: string; reviewerId: string; displayName: string; to?: string }
export type OpenedReportWire = {
  today: string
  report: CaseFields & { id: string; pseudonym: string; inboxId: string; inboxName: string; retentionDays: number; keyVersion: number; envelope: Envelope; receivedDay: string }
  currentKeyVersion: number
  me: { id: string; displayName: string; pseudonym: string }
  members: Array<{ id: string; displayName: string }>
  messages: WireMessage[]
  trail: TrailEntry[]
}

/**
 * A message as a reviewer sees it; `verified: false` is shown as a warning, never as anyone's
 * words, and offers none of its files.
 */
export type ShownMessage = { seq: number; author: WireMessage['author']; day: string; text: string; who: string; verified: boolean; files: FileRef[] }

/**
 * Opens one message with the inbox key of its version. Follow-ups must be signed by the reporter
 * key named INSIDE the first sealed report (the server's copy of it is not trusted); replies and
 * notes by the inbox identity.
 */
export function openForReviewer(c: Crypto, inboxId: string, m: WireMessage, reporterSignPk: string): ShownMessage {
  const base = { seq: m.seq, author: m.author, day: m.day }
  const key = inboxKey(inboxId, m.keyVersion)
  const unverified = { ...base, text: '', who: '', verified: false, files: [] }
  if (!key) return unverified
  const opener = { as: 'inbox' as const, inbox: key.encryption }
  const inboxSignPk = c.toB64(key.identity.publicKey)
  try {
    if (m.author === 'note') {
      const note = c.openNote(m.envelope, opener, inboxSignPk)
      return { ...base, text: note.text, who: note.by, verified: note.verified, files: [] }
    }
    const opened = c.openMessage(m.envelope, opener, { reporterSignPk, inboxSignPk })
    // The kind sealed inside must match the author the server claims.
    const kindMatches = (m.author === 'reporter') === (opened.kind === 'followup')
    const who = opened.kind === 'reply' ? opened.reviewer : 'Reporter'
    const verified = opened.verified && kindMatches
    return { ...base, text: opened.text, who, verified, files: verified ? opened.files : [] }
  } catch {
    return unverified
  }
}
