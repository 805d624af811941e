import type { CaseState, FileRef, ReporterMessage } from '#crypto'
import { readAnswers, type Answers } from './report-fields'

/** A file as a thread page lists it: its key only where the page can download. */
export type ThreadFile = Omit<FileRef, 'key'> & { key?: string }

export type Withdrawal = 'requested' | 'declined' | null

export type ThreadMessage = Omit<ReporterMessage, 'files'> & { files: ThreadFile[] }

export type ThreadModel = {
  /** The status and outcome shown: the ones a reviewer signed, for a report whose thread is chained. */
  status: string
  outcome: string | null
  /** What the portal claimed instead, when no reviewer signed it: shown as such, never as the status. */
  unsignedStatus: { status: string; outcome: string | null } | null
  /** False when messages this device verified before are no longer in the thread. */
  holdsRecorded: boolean
  withdrawal: Withdrawal
  withdrawalRequestedDay: string | null
  receivedDay: string
  /** The report as the reporter sealed it, when it verified and reads as the form's answers. */
  answers: Answers | null
  /** Why there are no answers: 'unverified' (not signed by the receipt's key) or 'unreadable' (not well-formed). */
  report: 'verified' | 'unverified' | 'unreadable'
  /** Files sent with the report itself. */
  files: ThreadFile[]
  messages: ThreadMessage[]
  canReply: boolean
  /** What the inbox's key log said: anything but 'ok' is shown in plain words, and nothing is sealed. */
  keyLog: 'ok' | 'unlogged' | 'broken'
}

const described = (files: FileRef[], keys: boolean): ThreadFile[] => files.map(({ key, ...f }) => (keys ? { ...f, key } : f))

/**
 * One shape for the thread, whether it was opened in the browser or, without JS, on the server.
 * File keys are kept only when asked (the browser, which can download): a no-JS page cannot use
 * them, so they stay out of the page it is sent.
 */
export function threadModel(
  o: {
    view: {
      answers: unknown
      report: 'verified' | 'unverified' | 'unreadable'
      files?: FileRef[]
      messages: ReporterMessage[]
      sealTo: unknown
      keyLog: { state: 'ok' | 'unlogged' | 'broken' }
      chain: { signed: boolean; holdsRecorded: boolean }
      signedState: CaseState | null
    }
    status: string
    receivedDay: string
    outcome?: string | null
    withdrawal?: Withdrawal
    withdrawalRequestedDay?: string | null
  },
  opts: { keys?: boolean } = {},
): ThreadModel {
  const keys = opts.keys === true
  // Read through the app's own schema on both paths: a no-JS page never carries half-read answers.
  const answers = o.view.report === 'verified' ? readAnswers(o.view.answers) : null
  const served = { status: o.status, outcome: o.outcome ?? null }
  // A v1 report's thread has no signed state until a reviewer's browser signs one: until then the
  // portal's word is all there is, as it always was for v1.
  const signed = o.view.signedState ?? (o.view.chain.signed ? { status: 'received' } : null)
  const shown = signed ? { status: signed.status, outcome: signed.outcome ?? null } : served
  return {
    ...shown,
    unsignedStatus: shown.status === served.status && shown.outcome === served.outcome ? null : served,
    holdsRecorded: o.view.chain.holdsRecorded,
    withdrawal: o.withdrawal ?? null,
    withdrawalRequestedDay: o.withdrawalRequestedDay ?? null,
    receivedDay: o.receivedDay,
    answers,
    report: o.view.report === 'verified' && !answers ? 'unreadable' : o.view.report,
    files: answers ? described(o.view.files ?? [], keys) : [],
    // Words that failed their signature check never reach the page, not even inside the
    // serialised page data a no-JS response carries: only the fact that something failed.
    // A message shown again is shown once: its copy keeps only its place.
    messages: o.view.messages.map((m) =>
      m.verified && m.place !== 'repeated'
        ? { ...m, files: described(m.files, keys) }
        : {
            seq: m.seq,
            author: m.author,
            day: m.day,
            place: m.place,
            text: '',
            files: [],
            verified: false,
            ...(m.unreadable ? { unreadable: true as const } : {}),
          },
    ),
    canReply: o.view.sealTo !== null,
    keyLog: o.view.keyLog.state,
  }
}
