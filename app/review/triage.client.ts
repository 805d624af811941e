import type { CaseState, ChainLink, ChainMark, ChainStep, FileRef } from '#crypto'
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
export type ShownMessage = {
  seq: number
  author: WireMessage['author']
  day: string
  state: MessageState
  text: string
  who: string
  files: FileRef[]
  /** Where it sits in the reporter's thread (null for notes, which are not in it): anything but 'ok' is said beside it. */
  place: ChainMark | null
  /** A change of status, or the status a reply left, as its reviewer signed it. */
  caseState?: CaseState
  /** For checking the chain: its link, and where its author placed it (verified only). */
  step: ChainStep
}

/**
 * Opens one message with the inbox key of its version. Follow-ups must be signed by the reporter
 * key named INSIDE the first sealed report (the server's copy of it is not trusted); replies and
 * notes by the inbox identity. Words and files are kept only for a shown message.
 */
export function openForReviewer(c: Crypto, inboxId: string, m: WireMessage, reporterSignPk: string): ShownMessage {
  const step: ChainStep = { link: c.linkOf(m.envelope), chain: null, verified: false }
  const withheld = { seq: m.seq, author: m.author, day: m.day, text: '', who: '', files: [], place: null, step }
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
    const placed = { ...withheld, state: 'shown' as const, step: { ...step, chain: opened.chain, verified: true } }
    if (opened.kind === 'state') return { ...placed, who: opened.reviewer, caseState: opened.state }
    const signedState = opened.kind === 'reply' && opened.state ? { caseState: opened.state } : {}
    return { ...placed, text: opened.text, who: opened.kind === 'reply' ? opened.reviewer : 'Reporter', files: opened.files, ...signedState }
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

/** The report a thread hangs from: the id it signed (v2), or the one it is served under (v1). */
export type ThreadRoot = { reportId: string; link: string; chained: boolean }

/**
 * Each message's place in the reporter's thread, checked as the reporter's browser checks it,
 * and where a message written now goes. Notes are the inbox's own and stay out of it; a deleted
 * message keeps its link, so the one after it still finds its place.
 */
export function placeThread(c: Crypto, root: ThreadRoot, messages: ShownMessage[], deleted: { seq: number; link: string }[]) {
  const steps = [
    ...messages.filter((m) => m.author !== 'note').map((m) => ({ seq: m.seq, step: m.step })),
    ...deleted.map((d) => ({ seq: d.seq, step: { link: d.link, chain: null, verified: false, deleted: true as const } })),
  ].sort((a, b) => a.seq - b.seq)
  const { marks } = c.checkChain(
    root,
    steps.map((s) => s.step),
  )
  const placeOf = new Map(steps.map((s, i) => [s.seq, marks[i]]))
  const next: ChainLink = { report: root.reportId, n: steps.length + 1, prev: steps.at(-1)?.step.link ?? root.link }
  return { messages: messages.map((m) => (m.author === 'note' ? m : { ...m, place: placeOf.get(m.seq) ?? null })), next }
}
