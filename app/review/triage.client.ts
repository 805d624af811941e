import type { FileRef } from '#crypto'
import type { DeleteReason } from '#common/delete-reasons'
import { callApi } from '~/ui/api.client'
import type { Crypto } from '~/ui/crypto.client'
import { keyring, type UnlockedInbox } from './keyring.client'
import type { action as assignAction } from '~/routes/api.review.triage.assign'
import type { action as deleteMessageAction } from '~/routes/api.review.triage.delete-message'
import type { action as deleteReportAction } from '~/routes/api.review.triage.delete-report'
import type { Answer, OpenedReportWire } from '~/ui/wire'

/** The unlocked keys of one version of an inbox, or undefined when this tab does not hold them. */
export function inboxKey(inboxId: string, keyVersion: number): UnlockedInbox | undefined {
  return keyring()
    ?.inboxes.get(inboxId)
    ?.find((v) => v.keyVersion === keyVersion)
}

export type CaseFields = Answer<typeof assignAction>['case']
export type WireMessage = OpenedReportWire['messages'][number]
export type TrailEntry = OpenedReportWire['trail'][number]
export type { OpenedReportWire }

/** 'unreadable': this tab holds the key, but it does not open into a well-formed, verified report. */
export type ReportState = 'open' | 'unreadable' | 'locked'

/**
 * What this tab can do with a message: 'shown' (words and files), 'unverified' (opened but not
 * signed by whom it must be: a warning, never anyone's words), 'unreadable' (the key is here,
 * but it does not open into a well-formed message) or 'locked' (this tab lacks its key).
 */
export type MessageState = 'shown' | 'unverified' | 'unreadable' | 'locked'
export type ShownMessage = { seq: number; author: WireMessage['author']; day: string; state: MessageState; text: string; who: string; files: FileRef[] }

/**
 * Opens one message with the inbox key of its version. Follow-ups must be signed by the reporter
 * key named INSIDE the first sealed report (the server's copy of it is not trusted); replies and
 * notes by the inbox identity. Words and files are kept only for a shown message.
 */
export function openForReviewer(c: Crypto, inboxId: string, m: WireMessage, reporterSignPk: string): ShownMessage {
  const withheld = { seq: m.seq, author: m.author, day: m.day, text: '', who: '', files: [] }
  const key = inboxKey(inboxId, m.keyVersion)
  if (!key) return { ...withheld, state: 'locked' }
  const opener = { as: 'inbox' as const, inbox: key.encryption }
  const inboxSignPk = c.toB64(key.identity.publicKey)
  try {
    if (m.author === 'note') {
      const note = c.openNote(m.envelope, opener, inboxSignPk)
      return note.verified ? { ...withheld, state: 'shown', text: note.text, who: note.by } : { ...withheld, state: 'unverified' }
    }
    const opened = c.openMessage(m.envelope, opener, { reporterSignPk, inboxSignPk })
    // The kind sealed inside must match the author the server claims.
    const kindMatches = (m.author === 'reporter') === (opened.kind === 'followup')
    if (!opened.verified || !kindMatches) return { ...withheld, state: 'unverified' }
    return { ...withheld, state: 'shown', text: opened.text, who: opened.kind === 'reply' ? opened.reviewer : 'Reporter', files: opened.files }
  } catch {
    return { ...withheld, state: 'unreadable' }
  }
}

/** An admin deletes a report, or one message of it, for a reason from the fixed list. */
export const deleteForGood = (what: { reportId: string; seq?: number }, reason: DeleteReason) =>
  callApi<Answer<typeof deleteReportAction> | Answer<typeof deleteMessageAction>>(
    what.seq === undefined ? '/api/review/triage/delete-report' : '/api/review/triage/delete-message',
    {
      body: { ...what, reason },
      cookies: true,
    },
  )
