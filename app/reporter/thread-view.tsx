import { CannotSeal, KeyLogAlert } from './key-log-notice'
import type { FormEvent } from 'react'
import { LIMITS, sizeWords, TIMINGS } from '#common/limits'
import type { FollowupLimits } from '#server/budgets.server'
import { ACKNOWLEDGE_DAYS, FEEDBACK_MONTHS, outcomeLabel, STATUS_FOR_REPORTER, STATUS_LABELS, type Status } from '#common/triage-rules'
import { addDays, addMonths, formatDay, today } from '#common/days'
import { AnswersList } from '~/ui/answers-list'
import { HiddenValues } from '~/ui/fields'
import type { FileLimits, UploadQueue } from '~/ui/upload-queue'
import { FilePicker } from '~/ui/file-picker'
import { RowBoundary } from '~/ui/row-boundary'
import { AttachedFiles, PlainReceipt, type Download } from './thread-files'
import { WARN_BEFORE_SECONDS } from './idle'
import { PageTitle } from '~/ui/page-title'
import type { ThreadMessage, ThreadModel } from '#common/thread-model'

/** The promise the reviewers are held to next, while it is still ahead: nothing once it has passed. */
function nextDeadline(t: ThreadModel): string | null {
  const now = today()
  if (t.status === 'received') {
    const due = addDays(t.receivedDay, ACKNOWLEDGE_DAYS)
    return due >= now ? `Reviewers aim to tell you they have read it by ${formatDay(due)}.` : null
  }
  if (t.status === 'closed') return null
  const due = addMonths(t.receivedDay, FEEDBACK_MONTHS)
  return due >= now ? `Reviewers aim to tell you how it is going by ${formatDay(due)}.` : null
}

function StatusCard({ thread }: { thread: ThreadModel }) {
  const status = thread.status as Status
  const outcome = thread.status === 'closed' ? outcomeLabel(thread.outcome) : ''
  const deadline = nextDeadline(thread)
  const asked = thread.withdrawalRequestedDay ? ` on ${formatDay(thread.withdrawalRequestedDay)}` : ''
  return (
    <div className="status-card" role="status" data-status-card>
      <p className="status-card__label">Status</p>
      <p className="status-card__value">{STATUS_LABELS[status] ?? thread.status}</p>
      <p>{STATUS_FOR_REPORTER[status] ?? ''}</p>
      {outcome ? <p>{`Outcome: ${outcome}.`}</p> : null}
      {thread.withdrawal === 'requested' ? (
        <p>
          <strong>{`You asked for this report to be withdrawn${asked}. A reviewer will decide.`}</strong>
        </p>
      ) : thread.withdrawal === 'declined' ? (
        <p>
          <strong>Your request to withdraw was declined. A reviewer may explain in a reply.</strong>
        </p>
      ) : null}
      {deadline ? <p className="status-card__meta">{deadline}</p> : null}
      <p className="status-card__meta">Sent on {formatDay(thread.receivedDay)}</p>
    </div>
  )
}

/** A message the receipt's keys open, but that is not a well-formed message: its number, nothing of it. */
function Unreadable({ m }: { m: ThreadMessage }) {
  return (
    <li className="bubble bubble--unreadable" data-unreadable data-seq={m.seq}>
      <p className="bubble__who">
        Message {m.seq}
        <span className="bubble__day"> · {formatDay(m.day)}</span>
      </p>
      <p>This message could not be read, so nothing of it is shown. You can tell the reviewers about it in a message.</p>
    </li>
  )
}

function Message({ m, download }: { m: ThreadMessage; download?: Download }) {
  if (m.unreadable) return <Unreadable m={m} />
  if (!m.verified)
    return (
      <li className="bubble bubble--unverified" data-unverified>
        <p className="bubble__who">
          A message could not be verified and is not shown
          <span className="bubble__day"> · {formatDay(m.day)}</span>
        </p>
        <p>
          It does not carry a valid signature from the reviewers or from you, so it may have been changed or added by someone else. You can tell the reviewers
          about it in a message.
        </p>
      </li>
    )
  return (
    <li className={`bubble bubble--${m.author}`} data-seq={m.seq}>
      <p className="bubble__who">
        {m.author === 'reporter' ? 'You' : <span className="their-words">{m.reviewer}</span>}
        <span className="bubble__day"> · {formatDay(m.day)}</span>
      </p>
      {m.text ? <p className="preserve">{m.text}</p> : null}
      <AttachedFiles files={m.files} download={download} />
    </li>
  )
}

/** Asking reviewers to withdraw: apart from the reply box, and explicit about what follows. */
function WithdrawSection(props: { receipt?: string; error?: string; busy?: boolean; onWithdraw?: (e: FormEvent<HTMLFormElement>) => void }) {
  return (
    <section aria-labelledby="withdraw-title" className="callout" data-withdraw>
      <h2 id="withdraw-title">Withdraw your report</h2>
      <p>You can ask for your report to be withdrawn. The reviewers decide.</p>
      <p>
        If they agree, your report and every message are deleted for good, and your receipt code stops working. If they do not, you will see that here and can
        ask again later.
      </p>
      <form method="post" onSubmit={props.onWithdraw}>
        <HiddenValues values={props.receipt ? { intent: 'withdraw', receipt: props.receipt } : { intent: 'withdraw' }} />
        <div className={`field${props.error ? ' field--error' : ''}`}>
          {props.error ? (
            <p className="field__error" id="withdraw-confirm-error" role="alert">
              <span className="visually-hidden">Error: </span>
              {props.error}
            </p>
          ) : null}
          <label className="choice" htmlFor="withdraw-confirm">
            <input
              type="checkbox"
              id="withdraw-confirm"
              name="confirm"
              value="yes"
              required
              aria-describedby={props.error ? 'withdraw-confirm-error' : undefined}
            />
            <span>I understand: if the reviewers agree, my report and every message are deleted and my code stops working.</span>
          </label>
        </div>
        <button type="submit" className="button button--secondary" disabled={props.busy}>
          {props.busy ? 'Sending your request…' : 'Ask to withdraw my report'}
        </button>
      </form>
    </section>
  )
}

/**
 * How long this page stays open, said on it. Without JavaScript nothing can watch for activity,
 * and a refresh that wiped the page would take the thread, and any words being typed, from under
 * the reader: so it stays until they leave, and the server, which keeps no session for it (the
 * code rides in the form), takes a message sent from it however long it was open.
 */
function OpenFor({ js }: { js: boolean }) {
  const minutes = TIMINGS.reporterSessionIdleSeconds / 60
  return (
    <p className="hint" data-open-for>
      {js
        ? `This page closes your report after ${minutes} minutes without activity, so nobody else can read it on this screen, and warns you ${WARN_BEFORE_SECONDS / 60} minutes before. Anything you typed and did not send is kept until you open it again.`
        : 'This page stays open until you leave it, and a message you send from it is taken however long it has been open. When you have finished, use Quick exit or close the tab, so nobody else can read it on this screen.'}
    </p>
  )
}

/** What the follow-up budgets allow, in words; a visit is a JavaScript session (decision 20). */
function budgetWords(l: FollowupLimits, visit: boolean) {
  const day = `Your report can take ${l.messagesPerDay} messages and ${sizeWords(l.bytesPerDay)} of messages and files a day`
  return visit ? `${day}; one visit, ${l.messagesPerSession} messages and ${sizeWords(l.bytesPerSession)}.` : `${day}.`
}

/** The reporter's whole thread: status in plain words, the messages, a reply box, their report, withdrawal. */
export function ThreadView(props: {
  thread: ThreadModel
  /** Only without JavaScript: the code rides along so the server can reseal a follow-up. */
  receipt?: string
  notice?: string
  error?: string
  /** true, or what the page is waiting for (say, files still uploading) */
  sending?: boolean | string
  onSend?: (e: FormEvent<HTMLFormElement>) => void
  withdrawError?: string
  withdrawing?: boolean
  onWithdraw?: (e: FormEvent<HTMLFormElement>) => void
  /** Stated before anything is chosen; 0 files per message hides the picker. */
  limits: FileLimits
  /** With JavaScript: follow-up files upload as they are chosen. */
  uploads?: UploadQueue
  /** With JavaScript: opens a file in this browser and saves it. */
  download?: Download
  /** The follow-up budgets, stated under the box (decision 20). */
  followups?: FollowupLimits
  /** Words a refusal handed back, put in the box again so nothing typed is lost. */
  draft?: string
}) {
  const { thread } = props
  const replies = thread.messages.filter((m) => m.author === 'reviewer' && m.verified)
  return (
    <>
      <PageTitle step="Your report" error={!!(props.error || props.withdrawError)} />
      <PlainReceipt.Provider value={props.receipt}>
        <h1 tabIndex={-1}>Your report</h1>
        <KeyLogAlert keyLog={thread.keyLog} />
        <StatusCard thread={thread} />
        <OpenFor js={!props.receipt} />
        {props.notice ? (
          <p className="notice" role="status">
            {props.notice}
          </p>
        ) : null}

        <section aria-labelledby="messages-title">
          <h2 id="messages-title">Messages</h2>
          <ol className="thread">
            {thread.messages.map((m) => (
              <RowBoundary key={m.seq} fallback={<Unreadable m={m} />}>
                <Message m={m} download={props.download} />
              </RowBoundary>
            ))}
          </ol>
          {replies.length === 0 ? <p className="empty">No replies yet.</p> : null}
        </section>

        {thread.canReply ? (
          <form method="post" encType="multipart/form-data" onSubmit={props.onSend} className="reply-form">
            <HiddenValues values={props.receipt ? { intent: 'followup', receipt: props.receipt } : { intent: 'followup' }} />
            {props.error ? (
              <p className="field__error" role="alert">
                {props.error}
              </p>
            ) : null}
            <div className="field">
              <label htmlFor="message" className="field__label">
                Add a message
              </label>
              <div className="hint" id="message-hint">
                Answer a question, or add something you remembered. Only the reviewers can read it.
                {props.followups ? <> {budgetWords(props.followups, !props.receipt)}</> : null}
              </div>
              <textarea id="message" name="message" rows={5} maxLength={LIMITS.followupChars} aria-describedby="message-hint" defaultValue={props.draft} />
            </div>
            <FilePicker limits={props.limits} queue={props.uploads} id="followup-files" label="Add files (optional)" />
            <button type="submit" className="button" disabled={!!props.sending}>
              {typeof props.sending === 'string' ? props.sending : props.sending ? 'Sealing and sending…' : 'Send message'}
            </button>
          </form>
        ) : (
          <CannotSeal keyLog={thread.keyLog} />
        )}

        <section aria-labelledby="report-title">
          <h2 id="report-title">What you sent</h2>
          {thread.answers ? (
            <AnswersList answers={thread.answers} />
          ) : thread.report === 'unverified' ? (
            <p>Your report could not be verified.</p>
          ) : (
            <p className="bubble--unreadable" data-unreadable>
              Your report could not be read, so nothing of it is shown. Its messages are above.
            </p>
          )}
          {thread.files.length ? (
            <>
              <h3>Files you sent</h3>
              <AttachedFiles files={thread.files} download={props.download} />
            </>
          ) : null}
        </section>

        {thread.withdrawal === 'requested' ? null : (
          <WithdrawSection receipt={props.receipt} error={props.withdrawError} busy={props.withdrawing} onWithdraw={props.onWithdraw} />
        )}
      </PlainReceipt.Provider>
    </>
  )
}
