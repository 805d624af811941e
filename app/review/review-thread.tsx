import { trailWords } from '#common/trail'
import type { DeleteReason } from '#common/delete-reasons'
import type { ShownMessage, TrailEntry } from '~/review/triage.client'
import { STATUS_LABELS, type Status } from '#common/triage-rules'
import { Attachments } from './attachments'
import { DeleteUnreadable } from './delete-unreadable'
import { RowBoundary } from '~/ui/row-boundary'
import { formatDay } from '#common/days'

const UNVERIFIED: Record<ShownMessage['author'], string> = {
  reporter: "Could not be verified: not shown as the reporter's words.",
  reviewer: 'Could not be verified: not shown as a reply from this inbox.',
  note: 'Could not be verified: not shown as a note from this inbox.',
}

type OnDelete = (seq: number, reason: DeleteReason) => Promise<void>

/**
 * The thread as reviewers see it: every decrypted string is React text, never HTML; files of
 * shown messages are listed under their words. Each message stands on its own: one that cannot
 * be read, or fails while it renders, is shown as such with its number and the rest stay.
 * `onDelete` is given to admins only.
 */
export function ReviewThread({ messages, onCite, onDelete }: { messages: ShownMessage[]; onCite?: (quote: string) => void; onDelete?: OnDelete }) {
  if (messages.length === 0) return <p className="empty">No messages yet.</p>
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

function Message({ m, onCite }: { m: ShownMessage; onCite?: (quote: string) => void }) {
  const shown = m.state === 'shown'
  return (
    <li className={`bubble bubble--${m.author}${shown ? '' : ' bubble--unverified'}`} data-seq={m.seq}>
      <p className="bubble__who">
        {!shown ? (
          m.state === 'locked' ? (
            'Locked message'
          ) : (
            'Unverified message'
          )
        ) : m.author === 'reporter' ? (
          'Reporter'
        ) : m.author === 'note' ? (
          <>
            Internal note · <span className="their-words">{m.who}</span>
          </>
        ) : (
          <span className="their-words">{m.who}</span>
        )}
        <span className="bubble__day"> · {formatDay(m.day)}</span>
      </p>
      {m.author === 'note' ? <p className="hint">Never shown to the reporter.</p> : null}
      {shown ? <p className="preserve">{m.text}</p> : <p>{m.state === 'locked' ? 'Could not be opened with the keys in this tab.' : UNVERIFIED[m.author]}</p>}
      {shown ? <Attachments files={m.files} onCite={onCite} /> : null}
    </li>
  )
}

function Unreadable({ m, onDelete }: { m: ShownMessage; onDelete?: OnDelete }) {
  return (
    <li className="bubble bubble--unreadable" data-seq={m.seq} data-unreadable>
      <p className="bubble__who">
        Message {m.seq}
        <span className="bubble__day"> · {formatDay(m.day)}</span>
      </p>
      <p>This message could not be read. It is not a well-formed message, so nothing of it is shown.</p>
      {onDelete ? <DeleteUnreadable what="message" onDelete={(reason) => onDelete(m.seq, reason)} /> : null}
    </li>
  )
}

/** Who opened and answered this report, from the audit log: reviewers are accountable for access. */
export function OpenedTrail({ trail }: { trail: TrailEntry[] }) {
  return (
    <section aria-labelledby="trail-title">
      <h2 id="trail-title">Who opened this</h2>
      <ol className="trail">
        {trail.map((t, i) => (
          <li key={i}>
            {t.displayName} {trailWords(t.action)}
            {t.to ? ` to ${STATUS_LABELS[t.to as Status] ?? t.to}` : ''} ·{' '}
            <time dateTime={t.at}>{new Date(t.at).toLocaleString('en-GB', { timeZone: 'UTC' })} UTC</time>
          </li>
        ))}
      </ol>
    </section>
  )
}
