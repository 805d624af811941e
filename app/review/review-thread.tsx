import type { DeleteReason } from '#common/delete-reasons'
import type { ShownMessage, TrailEntry } from '~/review/triage.client'
import { Attachments } from './attachments'
import { DeleteUnreadable } from './delete-unreadable'
import { RowBoundary } from '~/ui/row-boundary'
import { useT } from '~/ui/i18n'
import type { Translate } from '#common/i18n/translate'
import { dayLabel, outcomeLabel, statusLabel, trailLabel } from './triage-words'

function unverified(t: Translate, author: ShownMessage['author']): string {
  if (author === 'reporter') return t('triage.thread.unverifiedReporter')
  if (author === 'reviewer') return t('triage.thread.unverifiedReviewer')
  return t('triage.thread.unverifiedNote')
}

type OnDelete = (seq: number, reason: DeleteReason) => Promise<void>

/**
 * The thread as reviewers see it: every decrypted string is React text, never HTML; files of
 * shown messages are listed under their words. Each message stands on its own: one that cannot
 * be read, or fails while it renders, is shown as such with its number and the rest stay.
 * `onDelete` is given to admins only.
 */
export function ReviewThread({ messages, onCite, onDelete }: { messages: ShownMessage[]; onCite?: (quote: string) => void; onDelete?: OnDelete }) {
  const t = useT()
  if (messages.length === 0) return <p className="empty">{t('triage.thread.none')}</p>
  return (
    <ol className="thread">
      {messages.map((m) => (
        <RowBoundary key={m.seq} fallback={<Unreadable m={m} onDelete={onDelete} />}>
          {m.state === 'unreadable' ? <Unreadable m={m} onDelete={onDelete} /> : <Message m={m} onCite={onCite} />}
        </RowBoundary>
      ))}
    </ol>
  )
}

/** Where the reporter's thread does not hold together at this message, in words beside it. */
function PlaceNotice({ place }: { place: ShownMessage['place'] }) {
  const t = useT()
  const words: Partial<Record<NonNullable<ShownMessage['place']>, string>> = {
    missing: t('triage.chain.missing'),
    reordered: t('triage.chain.reordered'),
    repeated: t('triage.chain.repeated'),
    forked: t('triage.chain.forked'),
    misplaced: t('triage.chain.misplaced'),
  }
  const said = place ? words[place] : undefined
  return said ? (
    <p className="chain-notice" data-place={place}>
      {said}
    </p>
  ) : null
}

/** A change of status as its reviewer signed it. */
function StateLine({ state }: { state: NonNullable<ShownMessage['caseState']> }) {
  const t = useT()
  return (
    <p data-state={state.status}>
      {state.status === 'closed' && state.outcome
        ? t('triage.thread.stateClosed', { outcome: outcomeLabel(t, state.outcome) })
        : t('triage.thread.stateSet', { status: statusLabel(t, state.status) })}
    </p>
  )
}

function Message({ m, onCite }: { m: ShownMessage; onCite?: (quote: string) => void }) {
  const t = useT()
  const shown = m.state === 'shown'
  const changed = shown && m.caseState && !m.text ? m.caseState : null
  return (
    <li className={`bubble bubble--${changed ? 'state' : m.author}${shown ? '' : ' bubble--unverified'}`} data-seq={m.seq} data-place={m.place ?? undefined}>
      <PlaceNotice place={m.place} />
      <p className="bubble__who">
        {!shown ? (
          m.state === 'locked' ? (
            t('triage.thread.locked')
          ) : (
            t('triage.thread.unverified')
          )
        ) : m.author === 'reporter' ? (
          t('triage.thread.reporter')
        ) : m.author === 'note' ? (
          <>
            {t('triage.thread.note')} · <span className="their-words">{m.who}</span>
          </>
        ) : (
          <span className="their-words">{m.who}</span>
        )}
        <span className="bubble__day"> · {dayLabel(t, m.day)}</span>
      </p>
      {m.author === 'note' ? <p className="hint">{t('triage.thread.noteHint')}</p> : null}
      {changed ? (
        <StateLine state={changed} />
      ) : shown ? (
        <p className="preserve">{m.text}</p>
      ) : (
        <p>{m.state === 'locked' ? t('triage.thread.notOpened') : unverified(t, m.author)}</p>
      )}
      {shown ? <Attachments files={m.files} onCite={onCite} /> : null}
    </li>
  )
}

function Unreadable({ m, onDelete }: { m: ShownMessage; onDelete?: OnDelete }) {
  const t = useT()
  return (
    <li className="bubble bubble--unreadable" data-seq={m.seq} data-unreadable>
      <p className="bubble__who">
        {t('triage.thread.message', { seq: m.seq })}
        <span className="bubble__day"> · {dayLabel(t, m.day)}</span>
      </p>
      <p>{t('triage.thread.unreadable')}</p>
      {onDelete ? <DeleteUnreadable what="message" onDelete={(reason) => onDelete(m.seq, reason)} /> : null}
    </li>
  )
}

/** Who opened and answered this report, from the audit log: reviewers are accountable for access. */
export function OpenedTrail({ trail }: { trail: TrailEntry[] }) {
  const t = useT()
  return (
    <section aria-labelledby="trail-title">
      <h2 id="trail-title">{t('triage.trail.title')}</h2>
      <ol className="trail">
        {trail.map((e, i) => (
          <li key={i}>
            {e.displayName} {trailLabel(t, e.action)}
            {e.to ? t('triage.trail.to', { status: statusLabel(t, e.to) }) : ''} ·{' '}
            <time dateTime={e.at}>{new Date(e.at).toLocaleString('en-GB', { timeZone: 'UTC' })} UTC</time>
          </li>
        ))}
      </ol>
    </section>
  )
}
