import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useEffect, useState, type FormEvent } from 'react'
import type { Envelope } from '../../crypto/index'
import { LIMITS } from '../../server/limits'
import type { Answers } from '../../server/report-fields'
import { AnswersList } from '~/components/answers-list'
import { KeysLocked } from '~/components/keys-locked'
import { OpenedTrail, ReviewThread } from '~/components/review-thread'
import { formatDay } from '~/components/thread-view'
import { callApi } from '~/lib/api.client'
import { loadCrypto, type Crypto } from '~/lib/crypto.client'
import { keyring } from '~/lib/keyring.client'
import { requireReviewer } from '~/lib/reviewer-session.server'
import { inboxKey, openForReviewer, STATUS_LABELS, type OpenedReportWire, type ShownMessage, type WireMessage } from '~/lib/triage.client'

export const loader = ({ request, context, params }: LoaderFunctionArgs) => {
  requireReviewer(request, context)
  return { reportId: params.id ?? '' }
}

type Ready = { c: Crypto; wire: OpenedReportWire; answers: Answers | null; reporter: { signPk: string; boxPk: string } | null; messages: ShownMessage[] }

export default function ReportPage() {
  const { reportId } = useLoaderData<typeof loader>()
  const [state, setState] = useState<Ready | { locked: true } | { error: string } | null>(null)
  const [notice, setNotice] = useState('')
  const [problem, setProblem] = useState('')
  const [busy, setBusy] = useState(false)

  useEffect(() => {
    if (!keyring()) return setState({ locked: true })
    let live = true
    void (async () => {
      try {
        // One call per page view: each is an audited opening.
        const [c, wire] = await Promise.all([loadCrypto(), callApi<OpenedReportWire>('/api/review/triage/open', { body: { reportId }, cookies: true })])
        const key = inboxKey(wire.report.inboxId, wire.report.keyVersion)
        let answers: Answers | null = null
        let reporter: Ready['reporter'] = null
        try {
          const opened = key ? c.openReport(wire.report.envelope, { as: 'inbox', inbox: key.encryption }) : null
          if (opened?.verified) [answers, reporter] = [opened.answers as Answers, opened.reporter]
        } catch {
          // left null: shown as "could not be opened"
        }
        // Without the reporter key from the sealed report, no follow-up can be verified.
        const signPk = reporter?.signPk ?? ''
        const messages = wire.messages.map((m) => openForReviewer(c, wire.report.inboxId, m, signPk))
        if (live) setState({ c, wire, answers, reporter, messages })
      } catch (err) {
        if (live) setState({ error: (err as Error).message })
      }
    })()
    return () => {
      live = false
    }
  }, [reportId])

  if (!state) return <p role="status">Opening the report in this browser…</p>
  if ('locked' in state) return <KeysLocked />
  if ('error' in state) return <p className="error-summary" role="alert">{state.error}</p>
  const { c, wire } = state
  const current = inboxKey(wire.report.inboxId, wire.currentKeyVersion)

  async function send(e: FormEvent<HTMLFormElement>, kind: 'reply' | 'note') {
    e.preventDefault()
    const form = e.currentTarget
    const text = String(new FormData(form).get('text') ?? '').trim()
    if (!text || !state || !('wire' in state)) return
    setProblem('')
    setNotice('')
    if (!current) return setProblem('This tab does not hold the newest key of this inbox. Sign in again to unlock it.')
    if (kind === 'reply' && !state.reporter) return setProblem('The report could not be verified, so a reply cannot be sealed to the reporter.')
    setBusy(true)
    try {
      const envelope: Envelope =
        kind === 'reply'
          ? c.sealReply({ text, reviewer: wire.me.pseudonym }, current, state.reporter!.boxPk)
          : c.sealNote({ text, by: wire.me.displayName }, current)
      const done = await callApi<{ message: WireMessage; status: string }>(`/api/review/triage/${kind}`, {
        body: { reportId, keyVersion: current.keyVersion, envelope },
        cookies: true,
      })
      const shown = openForReviewer(c, wire.report.inboxId, done.message, state.reporter?.signPk ?? '')
      const trail = [...wire.trail, { at: new Date().toISOString(), action: `report.${kind}`, reviewerId: '', displayName: wire.me.displayName }]
      setState({ ...state, wire: { ...wire, report: { ...wire.report, status: done.status }, trail }, messages: [...state.messages, shown] })
      form.reset()
      setNotice(kind === 'reply' ? 'Reply sealed in this browser and sent.' : 'Internal note saved. The reporter cannot see it.')
    } catch (err) {
      setProblem((err as Error).message)
    } finally {
      setBusy(false)
    }
  }

  return (
    <>
      <p>
        <Link to={`/review/inbox/${wire.report.inboxId}`}>Back to {wire.report.inboxName}</Link>
      </p>
      <h1>{wire.report.pseudonym}</h1>
      <p className="hint">
        Received {formatDay(wire.report.receivedDay)} · Status: {STATUS_LABELS[wire.report.status] ?? wire.report.status} · You appear to the reporter as {wire.me.pseudonym}
      </p>
      {notice ? <p className="notice" role="status">{notice}</p> : null}
      {problem ? <p className="error-summary" role="alert">{problem}</p> : null}
      <section aria-labelledby="answers-title">
        <h2 id="answers-title">What the reporter sent</h2>
        {state.answers ? <AnswersList answers={state.answers} /> : <p className="bubble--unverified">This report could not be opened or verified with the keys in this tab.</p>}
      </section>
      <section aria-labelledby="thread-title">
        <h2 id="thread-title">Thread</h2>
        <ReviewThread messages={state.messages} />
      </section>
      <form onSubmit={(e) => void send(e, 'reply')} className="reply-form">
        <div className="field">
          <label htmlFor="reply" className="field__label">Reply to the reporter</label>
          <div className="hint" id="reply-hint">Sealed in this browser. The reporter sees it under {wire.me.pseudonym}.</div>
          <textarea id="reply" name="text" rows={5} required maxLength={LIMITS.followupChars} aria-describedby="reply-hint" />
        </div>
        <button type="submit" className="button" disabled={busy}>Send reply</button>
      </form>
      <form onSubmit={(e) => void send(e, 'note')} className="reply-form">
        <div className="field">
          <label htmlFor="note" className="field__label">Internal note</label>
          <div className="hint" id="note-hint">For reviewers of this inbox only: never shown to the reporter.</div>
          <textarea id="note" name="text" rows={3} required maxLength={LIMITS.followupChars} aria-describedby="note-hint" />
        </div>
        <button type="submit" className="button button--secondary" disabled={busy}>Add note</button>
      </form>
      <OpenedTrail trail={wire.trail} />
    </>
  )
}
