import type { Answer } from '~/ui/wire'
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData, useNavigate } from '@remix-run/react'
import { useEffect, useRef, useState, type FormEvent } from 'react'
import { LIMITS } from '#common/limits'
import { AnswersList } from '~/ui/answers-list'
import { Attachments } from '~/review/attachments'
import { CaseChips } from '~/review/case-chips'
import { CaseFile } from '~/review/case-file'
import { CasePanel, type CaseChange } from '~/review/case-panel'
import { UnopenedReport } from '~/review/unopened-report'
import { errorAt, NoteForm, ProblemSummary, ReplyForm, type Problem } from '~/review/report-forms'
import { notSent, useUploadQueue } from '~/ui/upload-queue'
import { LangLink, metaT, useLangHref, useT } from '~/ui/i18n'
import { pageMessages } from '~/ui/i18n.server'
import { KeysLocked } from '~/review/keys-locked'
import { OpenedTrail, ReviewThread } from '~/review/review-thread'
import { dayLabel } from '~/review/triage-words'
import { ApiError, callApi } from '~/ui/api.client'
import { openReportView, sealMessage, sealStateChange, signedState, withMessage, type ReportView } from '~/review/report-view.client'
import { StatusCheck } from '~/review/status-check'
import { keyring } from '~/review/keyring.client'
import { requireReviewer } from '~/review/reviewer-session.server'
import { deleteForGood, inboxKey, type WireMessage } from '~/review/triage.client'
import { said, sayWith, type Message } from '#common/i18n/message'

export const meta: MetaFunction = ({ matches }) => {
  const t = metaT(matches)
  return [{ title: t('triage.report.title') }]
}

export const loader = async ({ request, context, params }: LoaderFunctionArgs) => {
  const { reviewerId } = requireReviewer(request, context)
  const reportId = params.id ?? ''
  // Not a member of its inbox, or no such report: the same answer.
  if (!(await context.services.triage.mayRead(reviewerId, { reportId }))) throw new Response('Not found', { status: 404 })
  return { reportId, fileLimits: context.services.config.files, ...pageMessages({ request, context }, ['triage']) }
}

type Ready = ReportView

export default function ReportPage() {
  const { reportId, fileLimits } = useLoaderData<typeof loader>()
  const uploads = useUploadQueue(fileLimits)
  const t = useT()
  const [state, setState] = useState<Ready | { locked: true } | { error: Message | string } | null>(null)
  const [notice, setNotice] = useState('')
  const [problem, setProblem] = useState<Problem>()
  const refuse = (message: string, field?: string) => setProblem(message ? { message, field } : undefined)
  const [busy, setBusy] = useState(false)
  const [exportedAt, setExportedAt] = useState<string | null>(null)
  const noteBox = useRef<HTMLTextAreaElement>(null)
  const navigate = useNavigate()
  const href = useLangHref()

  useEffect(() => {
    if (!keyring()) return setState({ locked: true })
    let live = true
    void (async () => {
      try {
        const view = await openReportView(reportId)
        if (live) setState(view)
      } catch (err) {
        if (live) setState({ error: said(err) })
      }
    })()
    return () => {
      live = false
    }
  }, [reportId])

  if (!state) return <p role="status">{t('triage.report.opening')}</p>
  if ('locked' in state) return <KeysLocked />
  if ('error' in state)
    return (
      <p className="error-summary" role="alert">
        {sayWith(t, state.error)}
      </p>
    )
  const { wire } = state
  const current = inboxKey(wire.report.inboxId, wire.currentKeyVersion)
  const admin = wire.me.role === 'admin'
  /** Folds a change the server accepted into the page, with the trail entry it recorded. */
  function applied(s: Ready, change: { patch?: CaseChange['patch']; trail: CaseChange['trail']; messages?: (WireMessage | undefined)[] }) {
    let v: Ready = { ...s, wire: { ...s.wire, report: { ...s.wire.report, ...change.patch }, trail: [...s.wire.trail, ...change.trail] } }
    for (const m of change.messages ?? []) if (m) v = withMessage(v, m)
    setState(v)
  }

  /**
   * Refused as written on an old state (someone else wrote first, or the keys moved on): the
   * thread is opened again, and the words stay in the box to be signed on the new head.
   */
  async function reopenIfStale(err: unknown) {
    if (err instanceof ApiError && err.status === 409) setState(await openReportView(reportId).catch(() => state as Ready))
  }

  async function send(e: FormEvent<HTMLFormElement>, kind: 'reply' | 'note') {
    e.preventDefault()
    const form = e.currentTarget
    const text = String(new FormData(form).get('text') ?? '').trim()
    if (!state || !('wire' in state)) return
    setProblem(undefined)
    setNotice('')
    // The box's id is its kind: a refusal of these words is said at the box.
    if (!text) return refuse(kind === 'reply' ? t('triage.report.replyEmpty') : t('triage.report.noteEmpty'), kind)
    // A citation added by the page can take a note past what a textarea lets anyone type.
    if (text.length > LIMITS.followupChars) {
      const size = { n: text.length.toLocaleString('en-GB'), max: LIMITS.followupChars.toLocaleString('en-GB') }
      return refuse(kind === 'reply' ? t('triage.report.replyTooLong', size) : t('triage.report.noteTooLong', size), kind)
    }
    if (!current) return refuse(t('triage.report.noNewestKey'))
    if (kind === 'reply' && !state.reporter) return refuse(t('triage.report.unverified'), 'reply')
    setBusy(true)
    try {
      // A reply waits for its files rather than go without them; notes carry none.
      if (kind === 'reply') await uploads.settled()
      const missing = kind === 'reply' ? uploads.problems() : []
      if (missing.length)
        return refuse(
          notSent(
            t,
            missing.map((f) => f.name),
          ),
          'reply',
        )
      const files = kind === 'reply' ? uploads.results() : []
      const sealed = sealMessage(
        state,
        current,
        kind,
        text,
        files.map((f) => f.ref),
      )
      const done = await callApi<Answer<typeof import('~/routes/api.review.triage.reply').action>>(`/api/review/triage/${kind}`, {
        body: { reportId, keyVersion: current.keyVersion, ...sealed, ...(files.length ? { files: files.map((f) => f.attachment) } : {}) },
        cookies: true,
      })
      if (kind === 'reply') uploads.clear()
      applied(state, { patch: done.case, trail: done.trail, messages: [done.message] })
      form.reset()
      setNotice(kind === 'reply' ? t('triage.report.replySent') : t('triage.report.noteSaved'))
    } catch (err) {
      refuse(sayWith(t, said(err)))
      await reopenIfStale(err)
    } finally {
      setBusy(false)
    }
  }

  /** A quote from a chat export goes to the end of the internal note, ready for the reviewer's words. */
  function cite(quote: string) {
    const box = noteBox.current
    if (!box) return
    const before = box.value.replace(/\s+$/, '')
    box.value = `${before ? `${before}\n\n` : ''}${quote}\n`
    box.focus()
    box.setSelectionRange(box.value.length, box.value.length)
  }

  async function exportCaseFile() {
    setProblem(undefined)
    try {
      const done = await callApi<Answer<typeof import('~/routes/api.review.triage.export').action>>('/api/review/triage/export', {
        body: { reportId },
        cookies: true,
      })
      if ('wire' in state!) applied(state, { trail: done.trail })
      setExportedAt(done.at)
    } catch (err) {
      refuse(sayWith(t, said(err)))
    }
  }

  async function deleteReport(reason: Parameters<typeof deleteForGood>[1]) {
    await deleteForGood({ reportId }, reason)
    navigate(href(`/review/inbox/${wire.report.inboxId}`), { state: { notice: t('triage.list.deleted', { name: wire.report.pseudonym }) } })
  }

  async function deleteMessage(seq: number, reason: Parameters<typeof deleteForGood>[1]) {
    const done = await deleteForGood({ reportId, seq }, reason)
    if (!state || !('wire' in state)) return
    setState({
      ...state,
      wire: { ...state.wire, trail: [...state.wire.trail, ...('trail' in done ? done.trail : [])] },
      messages: state.messages.filter((m) => m.seq !== seq),
    })
    setNotice(t('triage.report.messageDeleted', { seq }))
  }

  if (exportedAt)
    return (
      <CaseFile
        wire={wire}
        state={state.state}
        answers={state.answers}
        files={state.files}
        messages={state.messages}
        exportedAt={exportedAt}
        onClose={() => setExportedAt(null)}
      />
    )

  return (
    <>
      <p>
        <LangLink to={`/review/inbox/${wire.report.inboxId}`}>{t('triage.report.back', { name: wire.report.inboxName })}</LangLink>
      </p>
      <h1>{wire.report.pseudonym}</h1>
      <CaseChips row={wire.report} today={wire.today} />
      <StatusCheck served={wire.report} signed={signedState(state)} />
      <p className="hint">
        {t('triage.list.received', { day: dayLabel(t, wire.report.receivedDay) })} · {t('triage.report.appearAs', { name: wire.me.pseudonym })}
      </p>
      {notice ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      <ProblemSummary problem={problem} />
      <CasePanel
        wire={wire}
        seal={current ? (to, outcome, reason) => sealStateChange(state, current, to, outcome, reason) : null}
        onProblem={refuse}
        onRefused={(err) => void reopenIfStale(err)}
        onChange={(change) => {
          setNotice(change.notice)
          applied(state, { patch: change.patch, trail: change.trail, messages: change.messages })
        }}
      />
      <section aria-labelledby="answers-title">
        <h2 id="answers-title">{t('triage.report.sent')}</h2>
        {state.state === 'open' ? (
          <>
            <AnswersList answers={state.answers} audience="reviewer" />
            <Attachments files={state.files} onCite={cite} title={t('triage.report.files')} />
          </>
        ) : (
          <UnopenedReport state={state.state} id={wire.report.id} onDelete={admin && state.state === 'unreadable' ? deleteReport : undefined} />
        )}
      </section>
      <section aria-labelledby="thread-title">
        <h2 id="thread-title">{t('triage.report.thread')}</h2>
        <ReviewThread messages={state.messages} onCite={cite} onDelete={admin ? deleteMessage : undefined} />
      </section>
      {/* No verified key of the inbox's newest version in this tab: nothing to seal a reply or note to. */}
      {current ? (
        <>
          <ReplyForm
            name={wire.me.pseudonym}
            fileLimits={fileLimits}
            uploads={uploads}
            busy={busy}
            error={errorAt(problem, 'reply')}
            onSubmit={(e) => void send(e, 'reply')}
          />
          <NoteForm box={noteBox} busy={busy} error={errorAt(problem, 'note')} onSubmit={(e) => void send(e, 'note')} />
        </>
      ) : (
        <p className="callout" data-no-sealing>
          {t('triage.report.noSealing')}
        </p>
      )}
      <p>
        <button type="button" className="button button--secondary button--small" onClick={() => void exportCaseFile()}>
          {t('triage.report.caseFile')}
        </button>
      </p>
      <OpenedTrail trail={wire.trail} />
    </>
  )
}
