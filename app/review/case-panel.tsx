import type { Answer } from '~/ui/wire'
import { useNavigate } from '@remix-run/react'
import { useState, type FormEvent } from 'react'
import { OUTCOMES, STATUS_LABELS, TRANSITIONS, type Status } from '#common/triage-rules'
import { LIMITS } from '#common/limits'
import { callApi } from '~/ui/api.client'
import type { CaseFields, OpenedReportWire, TrailEntry, WireMessage } from '~/review/triage.client'
import { formatDay } from '#common/days'

/** A change the server accepted, with the trail lines it recorded for it. */
export type CaseChange = { patch: Partial<CaseFields>; trail: TrailEntry[]; notice: string; note?: WireMessage }
type Props = {
  wire: OpenedReportWire
  /** Seals a reason as an internal note with the inbox's current key; null when this tab cannot. */
  sealReason: ((text: string) => { keyVersion: number; envelope: unknown }) | null
  onChange: (c: CaseChange) => void
  onProblem: (message: string) => void
}

/** Status, assignment and a reporter's withdrawal request: the decisions reviewers are accountable for. */
export function CasePanel({ wire, sealReason, onChange, onProblem }: Props) {
  const r = wire.report
  const [busy, setBusy] = useState(false)
  const [to, setTo] = useState('')
  const navigate = useNavigate()
  const moves = TRANSITIONS[r.status as Status] ?? []

  async function run<T>(fn: () => Promise<T>): Promise<T | undefined> {
    setBusy(true)
    onProblem('')
    try {
      return await fn()
    } catch (err) {
      onProblem((err as Error).message)
      return undefined
    } finally {
      setBusy(false)
    }
  }

  const changeStatus = (target: Status, reason: string, outcome?: string, form?: HTMLFormElement) =>
    run(async () => {
      let sealed: { keyVersion?: number; reason?: unknown } = {}
      if (reason) {
        if (!sealReason) throw new Error('This tab does not hold the newest key of this inbox. Sign in again to unlock it.')
        const s = sealReason(
          `Status changed to ${STATUS_LABELS[target]}${outcome ? ` (${OUTCOMES.find(([id]) => id === outcome)?.[1]})` : ''}. Reason: ${reason}`,
        )
        sealed = { keyVersion: s.keyVersion, reason: s.envelope }
      }
      const done = await callApi<Answer<typeof import('~/routes/api.review.triage.status').action>>('/api/review/triage/status', {
        body: { reportId: r.id, to: target, ...(outcome ? { outcome } : {}), ...sealed },
        cookies: true,
      })
      const note =
        done.noteSeq && sealed.reason
          ? { seq: done.noteSeq, author: 'note' as const, keyVersion: sealed.keyVersion!, envelope: sealed.reason as WireMessage['envelope'], day: wire.today }
          : undefined
      onChange({ patch: done.case, trail: done.trail, notice: 'Status changed.', note })
      setTo('')
      form?.reset()
    })

  function onStatus(e: FormEvent<HTMLFormElement>) {
    e.preventDefault()
    const el = e.currentTarget
    const form = new FormData(el)
    const reason = String(form.get('reason') ?? '').trim()
    const outcome = String(form.get('outcome') ?? '')
    if (!to) return onProblem('Choose the new status.')
    if (!reason) return onProblem('Give a reason for the change. It is kept as an internal note, never shown to the reporter.')
    if (to === 'closed' && !outcome) return onProblem('Choose an outcome to close the report.')
    void changeStatus(to as Status, reason, to === 'closed' ? outcome : undefined, el)
  }

  async function onAssign(e: FormEvent<HTMLFormElement>) {
    e.preventDefault()
    const value = String(new FormData(e.currentTarget).get('assignee') ?? '')
    await run(async () => {
      const done = await callApi<Answer<typeof import('~/routes/api.review.triage.assign').action>>('/api/review/triage/assign', {
        body: { reportId: r.id, assigneeId: value || null },
        cookies: true,
      })
      onChange({ patch: done.case, trail: done.trail, notice: 'Assignment saved.' })
    })
  }

  async function decide(decision: 'accept' | 'decline') {
    await run(async () => {
      const done = await callApi<Answer<typeof import('~/routes/api.review.triage.withdrawal').action>>('/api/review/triage/withdrawal', {
        body: { reportId: r.id, decision },
        cookies: true,
      })
      if (done.deleted || !('case' in done) || !done.case)
        return navigate(`/review/inbox/${r.inboxId}`, { state: { notice: `${r.pseudonym} was withdrawn and deleted for good.` } })
      onChange({ patch: done.case, trail: done.trail, notice: 'Request declined.' })
    })
  }

  return (
    <section className="case-panel no-print" aria-labelledby="case-title">
      <h2 id="case-title">Case</h2>
      {r.withdrawalRequestedDay ? (
        <div className="callout" data-withdrawal>
          <p>
            <strong>The reporter asked on {formatDay(r.withdrawalRequestedDay)} for this report to be withdrawn.</strong> Accepting deletes the report and every
            message for good, and their receipt stops working. Declining tells them it was declined; explain why in a reply.
          </p>
          <div className="row-actions">
            <button type="button" className="button button--small" disabled={busy} onClick={() => void decide('accept')}>
              Accept and delete for good
            </button>
            <button type="button" className="button button--secondary button--small" disabled={busy} onClick={() => void decide('decline')}>
              Decline
            </button>
          </div>
        </div>
      ) : null}
      {r.status === 'received' ? (
        <div className="row-actions">
          <button type="button" className="button button--small" disabled={busy} onClick={() => void changeStatus('acknowledged', '')}>
            Acknowledge
          </button>
          <span className="hint">Tells the reporter a reviewer has read it, and stops the 7-day clock. A first reply does the same.</span>
        </div>
      ) : (
        <form onSubmit={onStatus}>
          <div className="field">
            <label htmlFor="status-to" className="field__label">
              Change the status
            </label>
            <div className="hint" id="status-hint">
              Now: {STATUS_LABELS[r.status as Status] ?? r.status}. Only the next steps of the process are offered.
            </div>
            <select id="status-to" name="to" value={to} onChange={(e) => setTo(e.target.value)} aria-describedby="status-hint">
              <option value="">Choose…</option>
              {moves.map((s) => (
                <option key={s} value={s}>
                  {r.status === 'closed' ? `Reopen: ${STATUS_LABELS[s]}` : STATUS_LABELS[s]}
                </option>
              ))}
            </select>
          </div>
          {to === 'closed' ? (
            <div className="field">
              <label htmlFor="status-outcome" className="field__label">
                Outcome
              </label>
              <select id="status-outcome" name="outcome" defaultValue="">
                <option value="">Choose…</option>
                {OUTCOMES.map(([id, label]) => (
                  <option key={id} value={id}>
                    {label}
                  </option>
                ))}
              </select>
            </div>
          ) : null}
          <div className="field">
            <label htmlFor="status-reason" className="field__label">
              Reason
            </label>
            <div className="hint" id="reason-hint">
              Sealed in this browser as an internal note. The reporter sees only the new status.
            </div>
            <textarea id="status-reason" name="reason" rows={2} maxLength={LIMITS.followupChars} aria-describedby="reason-hint" />
          </div>
          <button type="submit" className="button button--small" disabled={busy}>
            Change status
          </button>
        </form>
      )}
      <form onSubmit={(e) => void onAssign(e)} className="row-actions">
        <div className="field">
          <label htmlFor="assignee" className="field__label">
            Assigned to
          </label>
          <select id="assignee" name="assignee" defaultValue={r.assigneeId ?? ''} key={r.assigneeId ?? ''}>
            <option value="">Nobody</option>
            {wire.members.map((m) => (
              <option key={m.id} value={m.id}>
                {m.id === wire.me.id ? `${m.displayName} (you)` : m.displayName}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button button--secondary button--small" disabled={busy}>
          Assign
        </button>
      </form>
    </section>
  )
}
