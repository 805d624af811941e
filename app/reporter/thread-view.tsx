import { CannotSeal, KeyLogAlert } from './key-log-notice'
import type { FormEvent } from 'react'
import { LIMITS, sizeWords, TIMINGS } from '#common/limits'
import type { FollowupLimits } from '#server/budgets.server'
import { AnswersList } from '~/ui/answers-list'
import { HiddenValues } from '~/ui/fields'
import type { FileLimits, UploadQueue } from '~/ui/upload-queue'
import { FilePicker } from '~/ui/file-picker'
import { RowBoundary } from '~/ui/row-boundary'
import { AttachedFiles, PlainReceipt, type Download } from './thread-files'
import { WARN_BEFORE_SECONDS } from './idle'
import { PageTitle } from '~/ui/page-title'
import { useT } from '~/ui/i18n'
import { StatusCard, useDay, useStatusName } from './status-card'
import { ChainAlert, DeletedHere, PlaceNotice } from './chain-notice'
import type { ThreadMessage, ThreadModel } from '#common/thread-model'
import type { Translate } from '#common/i18n/translate'

/** A message the receipt's keys open, but that is not a well-formed message: its number, nothing of it. */
function Unreadable({ m }: { m: ThreadMessage }) {
  const t = useT()
  const day = useDay()
  return (
    <li className="bubble bubble--unreadable" data-unreadable data-seq={m.seq}>
      <p className="bubble__who">
        {t('check.thread.number', { seq: m.seq })}
        <span className="bubble__day"> · {day(m.day)}</span>
      </p>
      <p>{t('check.thread.unreadable')}</p>
    </li>
  )
}

function Message({ m, download }: { m: ThreadMessage; download?: Download }) {
  const t = useT()
  const day = useDay()
  const statusName = useStatusName()
  if (m.author === 'deleted') return <DeletedHere />
  if (m.unreadable) return <Unreadable m={m} />
  if (!m.verified)
    return (
      <li className="bubble bubble--unverified" data-unverified data-place={m.place}>
        <PlaceNotice place={m.place} />
        <p className="bubble__who">
          {t('check.thread.unverifiedWho')}
          <span className="bubble__day"> · {day(m.day)}</span>
        </p>
        <p>{t('check.thread.unverified')}</p>
      </li>
    )
  const changed = m.state && !m.text ? m.state : null
  return (
    <li className={`bubble bubble--${changed ? 'state' : m.author}`} data-seq={m.seq} data-place={m.place}>
      <PlaceNotice place={m.place} />
      <p className="bubble__who">
        {m.author === 'reporter' ? (
          t('check.thread.you')
        ) : (
          <span className="their-words" dir="auto">
            {m.reviewer}
          </span>
        )}
        <span className="bubble__day"> · {day(m.day)}</span>
      </p>
      {m.text ? (
        <p className="preserve" dir="auto">
          {m.text}
        </p>
      ) : null}
      {changed ? (
        <p data-state={changed.status}>
          {changed.status === 'closed' && changed.outcome
            ? t('check.thread.stateClosed', { outcome: statusName(changed.status, changed.outcome).outcome })
            : t('check.thread.stateSet', { status: statusName(changed.status).name })}
        </p>
      ) : null}
      <AttachedFiles files={m.files} download={download} />
    </li>
  )
}

/** Asking reviewers to withdraw: apart from the reply box, and explicit about what follows. */
function WithdrawSection(props: { receipt?: string; error?: string; busy?: boolean; onWithdraw?: (e: FormEvent<HTMLFormElement>) => void }) {
  const t = useT()
  return (
    <section aria-labelledby="withdraw-title" className="callout" data-withdraw>
      <h2 id="withdraw-title">{t('check.withdraw.heading')}</h2>
      <p>{t('check.withdraw.ask')}</p>
      <p>{t('check.withdraw.then')}</p>
      <form method="post" onSubmit={props.onWithdraw}>
        <HiddenValues values={props.receipt ? { intent: 'withdraw', receipt: props.receipt } : { intent: 'withdraw' }} />
        <div className={`field${props.error ? ' field--error' : ''}`}>
          {props.error ? (
            <p className="field__error" id="withdraw-confirm-error" role="alert">
              <span className="visually-hidden">{t('check.withdraw.error')} </span>
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
            <span>{t('check.withdraw.confirm')}</span>
          </label>
        </div>
        <button type="submit" className="button button--secondary" disabled={props.busy}>
          {props.busy ? t('check.withdraw.sending') : t('check.withdraw.submit')}
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
  const t = useT()
  return (
    <p className="hint" data-open-for>
      {js ? t('check.thread.openForJs', { minutes: TIMINGS.reporterSessionIdleSeconds / 60, warn: WARN_BEFORE_SECONDS / 60 }) : t('check.thread.openForPlain')}
    </p>
  )
}

/** What the follow-up budgets allow, in words; a visit is a JavaScript session (decision 20). */
function budgetWords(t: Translate, l: FollowupLimits, visit: boolean) {
  const day = { messages: l.messagesPerDay, size: sizeWords(l.bytesPerDay) }
  return visit
    ? t('check.reply.budgetVisit', { ...day, visitMessages: l.messagesPerSession, visitSize: sizeWords(l.bytesPerSession) })
    : t('check.reply.budgetDay', day)
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
  const t = useT()
  const statusName = useStatusName()
  // A change of status is not a reply: it has no words of its own.
  const replies = thread.messages.filter((m) => m.author === 'reviewer' && m.verified && m.text !== '')
  return (
    <>
      <PageTitle step={t('check.thread.heading')} error={!!(props.error || props.withdrawError)} />
      <PlainReceipt.Provider value={props.receipt}>
        <h1 tabIndex={-1}>{t('check.thread.heading')}</h1>
        <KeyLogAlert keyLog={thread.keyLog} />
        <ChainAlert thread={thread} statusName={(s) => statusName(s).name} />
        <StatusCard thread={thread} />
        <OpenFor js={!props.receipt} />
        {props.notice ? (
          <p className="notice" role="status">
            {props.notice}
          </p>
        ) : null}

        <section aria-labelledby="messages-title">
          <h2 id="messages-title">{t('check.thread.messages')}</h2>
          <ol className="thread">
            {thread.messages.map((m) => (
              <RowBoundary key={`${m.seq}-${m.place}`} fallback={<Unreadable m={m} />}>
                <Message m={m} download={props.download} />
              </RowBoundary>
            ))}
          </ol>
          {replies.length === 0 ? <p className="empty">{t('check.thread.noReplies')}</p> : null}
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
                {t('check.reply.label')}
              </label>
              <div className="hint" id="message-hint">
                {t('check.reply.hint')}
                {props.followups ? <> {budgetWords(t, props.followups, !props.receipt)}</> : null}
              </div>
              <textarea
                id="message"
                name="message"
                rows={5}
                maxLength={LIMITS.followupChars}
                aria-describedby="message-hint"
                defaultValue={props.draft}
                dir="auto"
              />
            </div>
            <FilePicker limits={props.limits} queue={props.uploads} id="followup-files" label={t('check.reply.files')} />
            <button type="submit" className="button" disabled={!!props.sending}>
              {typeof props.sending === 'string' ? props.sending : props.sending ? t('check.reply.sending') : t('check.reply.send')}
            </button>
          </form>
        ) : (
          <>
            <CannotSeal keyLog={thread.keyLog} />
            {props.draft ? (
              // Nothing can be sent now, so the words come back to be kept some other way, never dropped.
              <section aria-labelledby="unsent-title" className="callout" data-unsent>
                <h2 id="unsent-title">{t('check.reply.unsentHeading')}</h2>
                {props.error ? <p role="alert">{props.error}</p> : null}
                <p>{t('check.reply.unsentHint')}</p>
                <p className="preserve" dir="auto">
                  {props.draft}
                </p>
              </section>
            ) : null}
          </>
        )}

        <section aria-labelledby="report-title">
          <h2 id="report-title">{t('check.thread.sent')}</h2>
          {thread.answers ? (
            <AnswersList answers={thread.answers} />
          ) : thread.report === 'unverified' ? (
            <p>{t('check.thread.reportUnverified')}</p>
          ) : (
            <p className="bubble--unreadable" data-unreadable>
              {t('check.thread.reportUnreadable')}
            </p>
          )}
          {thread.files.length ? (
            <>
              <h3>{t('check.thread.filesSent')}</h3>
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
