import type { FormEvent } from 'react'
import type { ReporterMessage } from '../../crypto/index'
import { LIMITS } from '../../server/limits'
import { STATUS_WORDS, type Answers } from '../../server/report-fields'
import { AnswersList } from './answers-list'
import { HiddenValues } from './fields'

export type ThreadModel = {
  status: string
  receivedDay: string
  answers: Answers | null
  messages: ReporterMessage[]
  canReply: boolean
}

/** One shape for the thread, whether it was opened in the browser or, without JS, on the server. */
export function threadModel(o: { view: { answers: unknown; messages: ReporterMessage[]; sealTo: unknown }; status: string; receivedDay: string }): ThreadModel {
  return {
    status: o.status,
    receivedDay: o.receivedDay,
    answers: o.view.answers as Answers | null,
    messages: o.view.messages,
    canReply: o.view.sealTo !== null,
  }
}

export const formatDay = (day: string) =>
  new Date(`${day}T00:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })

/** The reporter's whole thread: status in plain words, their report, the messages, a reply box. */
export function ThreadView(props: {
  thread: ThreadModel
  /** Only without JavaScript: the code rides along so the server can reseal a follow-up. */
  receipt?: string
  notice?: string
  error?: string
  sending?: boolean
  onSend?: (e: FormEvent<HTMLFormElement>) => void
}) {
  const { thread } = props
  const replies = thread.messages.filter((m) => m.author === 'reviewer')
  return (
    <>
      <h1 tabIndex={-1}>Your report</h1>
      <div className="status-card" role="status">
        <p className="status-card__label">Status</p>
        <p className="status-card__value">{STATUS_WORDS[thread.status as keyof typeof STATUS_WORDS] ?? thread.status}</p>
        <p className="status-card__meta">Sent on {formatDay(thread.receivedDay)}</p>
      </div>
      {props.notice ? <p className="notice" role="status">{props.notice}</p> : null}

      <section aria-labelledby="messages-title">
        <h2 id="messages-title">Messages</h2>
        <ol className="thread">
          {thread.messages.map((m) => (
            <li key={m.seq} className={`bubble bubble--${m.author}${m.verified ? '' : ' bubble--unverified'}`}>
              <p className="bubble__who">
                {m.author === 'reporter' ? 'You' : m.verified ? m.reviewer : 'Unverified message'}
                <span className="bubble__day"> · {formatDay(m.day)}</span>
              </p>
              {m.verified ? (
                <p className="preserve">{m.text}</p>
              ) : (
                <p>This message could not be verified, so it is not shown. It may have been altered.</p>
              )}
            </li>
          ))}
        </ol>
        {replies.length === 0 ? <p className="empty">No replies yet. Reviewers aim to acknowledge a report within 7 days.</p> : null}
      </section>

      {thread.canReply ? (
        <form method="post" onSubmit={props.onSend} className="reply-form">
          <HiddenValues values={props.receipt ? { intent: 'followup', receipt: props.receipt } : { intent: 'followup' }} />
          {props.error ? <p className="field__error" role="alert">{props.error}</p> : null}
          <div className="field">
            <label htmlFor="message" className="field__label">Add a message</label>
            <div className="hint" id="message-hint">Answer a question, or add something you remembered. Only the reviewers can read it.</div>
            <textarea id="message" name="message" rows={5} required maxLength={LIMITS.followupChars} aria-describedby="message-hint" />
          </div>
          <button type="submit" className="button" disabled={props.sending}>
            {props.sending ? 'Sealing and sending…' : 'Send message'}
          </button>
        </form>
      ) : (
        <p className="notice">The inbox keys could not be verified, so new messages cannot be sent safely right now.</p>
      )}

      <section aria-labelledby="report-title">
        <h2 id="report-title">What you sent</h2>
        {thread.answers ? <AnswersList answers={thread.answers} /> : <p>Your report could not be verified.</p>}
      </section>
    </>
  )
}
