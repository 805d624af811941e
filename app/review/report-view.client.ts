import type { CaseState, ChainLink, FileRef } from '#crypto'
import { readAnswers, type Answers } from '#common/report-fields'
import type { Status } from '#common/triage-rules'
import type { Answer } from '~/ui/wire'
import { callApi } from '~/ui/api.client'
import { loadCrypto, type Crypto } from '~/ui/crypto.client'
import {
  inboxKey,
  openForReviewer,
  placeThread,
  type OpenedReportWire,
  type ReportState,
  type ShownMessage,
  type ThreadRoot,
  type WireMessage,
} from './triage.client'

/** One report as this tab opened it: the answers if they verified, and the thread placed in its chain. */
export type ReportView = {
  c: Crypto
  wire: OpenedReportWire
  state: ReportState
  answers: Answers | null
  reporter: { signPk: string; boxPk: string } | null
  files: FileRef[]
  messages: ShownMessage[]
  root: ThreadRoot
  /** Where a reply or a change of status written now goes in the reporter's thread. */
  next: ChainLink
}

/**
 * The case as the reporter is shown it: the newest state a reviewer signed, by place; "received"
 * for a chained report with none; null for a v1 report with none, which shows the server's word.
 */
export function signedState(v: Pick<ReportView, 'messages' | 'root'>): CaseState | null {
  const stated = v.messages
    .filter((m) => m.state === 'shown' && m.caseState && m.step.chain && m.place === 'ok')
    .sort((a, b) => b.step.chain!.n - a.step.chain!.n)[0]
  return stated?.caseState ?? (v.root.chained ? { status: 'received' } : null)
}

/** Opens the report (one audited opening per call) and every message this tab holds the key for. */
export async function openReportView(reportId: string): Promise<ReportView> {
  const [c, wire] = await Promise.all([
    loadCrypto(),
    callApi<Answer<typeof import('~/routes/api.review.triage.open').action>>('/api/review/triage/open', { body: { reportId }, cookies: true }),
  ])
  const key = inboxKey(wire.report.inboxId, wire.report.keyVersion)
  let answers: Answers | null = null
  let reporter: ReportView['reporter'] = null
  let files: FileRef[] = []
  let signedId: string | null = null
  try {
    const opened = key ? c.openReport(wire.report.envelope, { as: 'inbox', inbox: key.encryption }) : null
    answers = opened?.verified ? readAnswers(opened.answers) : null
    if (opened && answers) [reporter, files, signedId] = [opened.reporter, opened.files, opened.reportId]
  } catch {
    // left null: shown as "could not be read"
  }
  // Without the reporter key from the sealed report, no follow-up can be verified.
  const signPk = reporter?.signPk ?? ''
  const root = { reportId: signedId ?? wire.report.id, link: c.linkOf(wire.report.envelope), chained: signedId !== null }
  const opened = wire.messages.map((m) => openForReviewer(c, wire.report.inboxId, m, signPk))
  const { messages, next } = placeThread(c, root, opened, wire.deleted)
  return { c, wire, state: !key ? 'locked' : answers ? 'open' : 'unreadable', answers, reporter, files, messages, root, next }
}

/** The view with a message the server accepted added, and the thread placed again. */
export function withMessage(v: ReportView, m: WireMessage): ReportView {
  const shown = [...v.messages, openForReviewer(v.c, v.wire.report.inboxId, m, v.reporter?.signPk ?? '')]
  return { ...v, ...placeThread(v.c, v.root, shown, v.wire.deleted) }
}

/** The case as a reply leaves it: a first reply acknowledges, as the server records it. */
function stateAfterReply(r: { status: string; outcome: string | null }): CaseState {
  const status = r.status === 'received' ? 'acknowledged' : r.status
  return { status, ...(r.outcome && status === 'closed' ? { outcome: r.outcome } : {}) }
}

/** A change of status sealed for the reporter's thread, so the status they are shown is signed. */
export function sealStateChange(v: ReportView, key: NonNullable<ReturnType<typeof inboxKey>>, to: Status, outcome: string | undefined, reason: string | null) {
  const state = { status: to, ...(outcome ? { outcome } : {}) }
  const signed = v.reporter
    ? { envelope: v.c.sealState({ reviewer: v.wire.me.pseudonym, chain: v.next, state }, key, v.reporter.boxPk), prev: v.next.prev }
    : null
  if (!signed && !reason) return {}
  return {
    keyVersion: key.keyVersion,
    ...(reason ? { reason: v.c.sealNote({ text: reason, by: v.wire.me.displayName }, key) } : {}),
    ...(signed ? { signed } : {}),
  }
}

/**
 * A reply (for the reporter's thread: placed after its newest message, with the case as the
 * reply leaves it) or an internal note (the inbox's own), sealed with the current key.
 */
export function sealMessage(v: ReportView, key: NonNullable<ReturnType<typeof inboxKey>>, kind: 'reply' | 'note', text: string, files: FileRef[]) {
  if (kind === 'note') return { envelope: v.c.sealNote({ text, by: v.wire.me.displayName }, key) }
  const reply = { text, reviewer: v.wire.me.pseudonym, files, chain: v.next, state: stateAfterReply(v.wire.report) }
  return { envelope: v.c.sealReply(reply, key, v.reporter!.boxPk), prev: v.next.prev }
}
