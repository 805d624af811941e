import type { ShownMessage, TrailEntry } from '~/lib/triage.client'
import { STATUS_LABELS, type Status } from '../../server/triage-rules'
import { Attachments } from './attachments'
import { formatDay } from './thread-view'

const UNVERIFIED: Record<ShownMessage['author'], string> = {
  reporter: "Could not be verified: not shown as the reporter's words.",
  reviewer: 'Could not be verified: not shown as a reply from this inbox.',
  note: 'Could not be verified: not shown as a note from this inbox.',
}

/**
 * The thread as reviewers see it: every decrypted string is React text, never HTML; files of
 * verified messages are listed under their words.
 */
export function ReviewThread({ messages, onCite }: { messages: ShownMessage[]; onCite?: (quote: string) => void }) {
  if (messages.length === 0) return <p className="empty">No messages yet.</p>
  return (
    <ol className="thread">
      {messages.map((m) => (
        <li key={m.seq} className={`bubble bubble--${m.author}${m.verified ? '' : ' bubble--unverified'}`} data-seq={m.seq}>
          <p className="bubble__who">
            {!m.verified ? 'Unverified message' : m.author === 'reporter' ? 'Reporter' : m.author === 'note' ? `Internal note · ${m.who}` : m.who}
            <span className="bubble__day"> · {formatDay(m.day)}</span>
          </p>
          {m.author === 'note' ? <p className="hint">Never shown to the reporter.</p> : null}
          {m.verified ? <p className="preserve">{m.text}</p> : <p>{UNVERIFIED[m.author]}</p>}
          {m.verified ? <Attachments files={m.files} onCite={onCite} /> : null}
        </li>
      ))}
    </ol>
  )
}

const DONE: Record<string, string> = {
  'report.open': 'opened this report',
  'report.reply': 'replied',
  'report.note': 'added an internal note',
  'report.status': 'changed the status',
  'report.assign': 'changed who it is assigned to',
  'report.export': 'exported a case-file copy',
  'report.withdrawal-declined': "declined the reporter's request to withdraw",
}

/** Who opened and answered this report, from the audit log: reviewers are accountable for access. */
export function OpenedTrail({ trail }: { trail: TrailEntry[] }) {
  return (
    <section aria-labelledby="trail-title">
      <h2 id="trail-title">Who opened this</h2>
      <ol className="trail">
        {trail.map((t, i) => (
          <li key={i}>
            {t.displayName} {DONE[t.action] ?? t.action}
            {t.to ? ` to ${STATUS_LABELS[t.to as Status] ?? t.to}` : ''} · <time dateTime={t.at}>{new Date(t.at).toLocaleString('en-GB', { timeZone: 'UTC' })} UTC</time>
          </li>
        ))}
      </ol>
    </section>
  )
}
