import type { Answer } from '~/ui/wire'
import { useNavigate } from '@remix-run/react'
import { useState, type FormEvent } from 'react'
import { OUTCOMES, TRANSITIONS, type Status } from '#common/triage-rules'
import { LIMITS } from '#common/limits'
import { callApi } from '~/ui/api.client'
import type { CaseFields, OpenedReportWire, TrailEntry, WireMessage } from '~/review/triage.client'
import { Field, fieldAria } from '~/ui/fields'
import { useLangHref, useT } from '~/ui/i18n'
import { dayLabel, outcomeLabel, statusLabel } from './triage-words'
import { said, sayWith } from '#common/i18n/message'

/** A change the server accepted, with the trail lines it recorded for it. */
export type CaseChange = { patch: Partial<CaseFields>; trail: TrailEntry[]; notice: string; messages?: (WireMessage | undefined)[] }
/** What a change of status carries, sealed with the inbox's current key. */
export type SealedChange = { keyVersion: number; reason?: WireMessage['envelope']; signed?: { envelope: WireMessage['envelope']; prev: string } }
type Invalid = { id: string; message: string }
type Props = {
  wire: OpenedReportWire
  /**
   * Seals a change: its reason as an internal note, and the change itself for the reporter's
   * thread, signed; null when this tab holds no current key.
   */
  seal: ((to: Status, outcome: string | undefined, reason: string | null) => Partial<SealedChange>) | null
  onChange: (c: CaseChange) => void
  /** `field`: the id of the field at fault, for the page's summary to link to; '' clears. */
  onProblem: (message: string, field?: string) => void
  /** Told of every refusal, so a change written on an old state can be read again. */
  onRefused?: (err: unknown) => void
}

/** Status, assignment and a reporter's withdrawal request: the decisions reviewers are accountable for. */
export function CasePanel({ wire, seal, onChange, onProblem, onRefused }: Props) {
  const r = wire.report
  const [busy, setBusy] = useState(false)
  const [to, setTo] = useState('')
  // The field a status change is missing: marked at the field, and said at the top of the page too.
  const [invalid, setInvalid] = useState<Invalid>()
  const errorOf = (id: string) => (invalid?.id === id ? invalid.message : undefined)
  const navigate = useNavigate()
  const t = useT()
  const href = useLangHref()
  const moves = TRANSITIONS[r.status as Status] ?? []

  async function run<T>(fn: () => Promise<T>): Promise<T | undefined> {
    setBusy(true)
    // Every action starts clean: a mark left from an earlier refusal would otherwise outlive it.
    onProblem('')
    setInvalid(undefined)
    try {
      return await fn()
    } catch (err) {
      onProblem(sayWith(t, said(err)))
      onRefused?.(err)
      return undefined
    } finally {
      setBusy(false)
    }
  }

  const changeStatus = (target: Status, reason: string, outcome?: string, form?: HTMLFormElement) =>
    run(async () => {
      if (reason && !seal) throw new Error(t('triage.report.noNewestKey'))
      const to = outcome ? `${statusLabel(t, target)} (${outcomeLabel(t, outcome)})` : statusLabel(t, target)
      // The reason is sealed as the reviewer's note, so in the words they read the page in.
      const sealed: Partial<SealedChange> = seal?.(target, outcome, reason ? t('triage.case.reasonNote', { to, reason }) : null) ?? {}
      const done = await callApi<Answer<typeof import('~/routes/api.review.triage.status').action>>('/api/review/triage/status', {
        body: { reportId: r.id, to: target, ...(outcome ? { outcome } : {}), ...sealed },
        cookies: true,
      })
      const note =
        done.noteSeq && sealed.reason
          ? { seq: done.noteSeq, author: 'note' as const, keyVersion: sealed.keyVersion!, envelope: sealed.reason, day: wire.today }
          : undefined
      onChange({ patch: done.case, trail: done.trail, notice: t('triage.case.statusChanged'), messages: [done.message ?? undefined, note] })
      setTo('')
      form?.reset()
    })

  function onStatus(e: FormEvent<HTMLFormElement>) {
    e.preventDefault()
    const el = e.currentTarget
    const form = new FormData(el)
    const reason = String(form.get('reason') ?? '').trim()
    const outcome = String(form.get('outcome') ?? '')
    const missing: Invalid | undefined = !to
      ? { id: 'status-to', message: t('triage.case.chooseStatus') }
      : !reason
        ? { id: 'status-reason', message: t('triage.case.giveReason') }
        : to === 'closed' && !outcome
          ? { id: 'status-outcome', message: t('triage.case.chooseOutcome') }
          : undefined
    setInvalid(missing)
    if (missing) return onProblem(missing.message, missing.id)
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
      onChange({ patch: done.case, trail: done.trail, notice: t('triage.case.assigned') })
    })
  }

  async function decide(decision: 'accept' | 'decline') {
    await run(async () => {
      const done = await callApi<Answer<typeof import('~/routes/api.review.triage.withdrawal').action>>('/api/review/triage/withdrawal', {
        body: { reportId: r.id, decision },
        cookies: true,
      })
      if (done.deleted || !('case' in done) || !done.case)
        return navigate(href(`/review/inbox/${r.inboxId}`), { state: { notice: t('triage.case.withdrawn', { name: r.pseudonym }) } })
      onChange({ patch: done.case, trail: done.trail, notice: t('triage.case.declined') })
    })
  }

  return (
    <section className="case-panel no-print" aria-labelledby="case-title">
      <h2 id="case-title">{t('triage.case.title')}</h2>
      {r.withdrawalRequestedDay ? (
        <div className="callout" data-withdrawal>
          <p>
            <strong>{t('triage.case.withdrawal', { day: dayLabel(t, r.withdrawalRequestedDay) })}</strong> {t('triage.case.withdrawalBody')}
          </p>
          <div className="row-actions">
            <button type="button" className="button button--small" disabled={busy} onClick={() => void decide('accept')}>
              {t('triage.case.accept')}
            </button>
            <button type="button" className="button button--secondary button--small" disabled={busy} onClick={() => void decide('decline')}>
              {t('triage.case.decline')}
            </button>
          </div>
        </div>
      ) : null}
      {r.status === 'received' ? (
        <div className="row-actions">
          <button type="button" className="button button--small" disabled={busy} onClick={() => void changeStatus('acknowledged', '')}>
            {t('triage.case.acknowledge')}
          </button>
          <span className="hint">{t('triage.case.acknowledgeHint')}</span>
        </div>
      ) : (
        <form onSubmit={onStatus}>
          <Field
            id="status-to"
            label={t('triage.case.changeStatus')}
            hint={t('triage.case.now', { status: statusLabel(t, r.status) })}
            error={errorOf('status-to')}
          >
            <select id="status-to" name="to" value={to} onChange={(e) => setTo(e.target.value)} {...fieldAria('status-to', true, errorOf('status-to'))}>
              <option value="">{t('triage.case.choose')}</option>
              {moves.map((s) => (
                <option key={s} value={s}>
                  {r.status === 'closed' ? t('triage.case.reopen', { status: statusLabel(t, s) }) : statusLabel(t, s)}
                </option>
              ))}
            </select>
          </Field>
          {to === 'closed' ? (
            <Field id="status-outcome" label={t('triage.case.outcome')} error={errorOf('status-outcome')}>
              <select id="status-outcome" name="outcome" defaultValue="" {...fieldAria('status-outcome', false, errorOf('status-outcome'))}>
                <option value="">{t('triage.case.choose')}</option>
                {OUTCOMES.map((id) => (
                  <option key={id} value={id}>
                    {outcomeLabel(t, id)}
                  </option>
                ))}
              </select>
            </Field>
          ) : null}
          <Field id="status-reason" label={t('triage.case.reason')} hint={t('triage.case.reasonHint')} error={errorOf('status-reason')}>
            <textarea
              id="status-reason"
              name="reason"
              rows={2}
              maxLength={LIMITS.followupChars}
              {...fieldAria('status-reason', true, errorOf('status-reason'))}
            />
          </Field>
          <button type="submit" className="button button--small" disabled={busy}>
            {t('triage.case.change')}
          </button>
        </form>
      )}
      <form onSubmit={(e) => void onAssign(e)} className="row-actions">
        <div className="field">
          <label htmlFor="assignee" className="field__label">
            {t('triage.list.assignee')}
          </label>
          <select id="assignee" name="assignee" defaultValue={r.assigneeId ?? ''} key={r.assigneeId ?? ''}>
            <option value="">{t('triage.case.nobody')}</option>
            {wire.members.map((m) => (
              <option key={m.id} value={m.id}>
                {m.id === wire.me.id ? t('triage.case.you', { name: m.displayName }) : m.displayName}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button button--secondary button--small" disabled={busy}>
          {t('triage.case.assign')}
        </button>
      </form>
    </section>
  )
}
