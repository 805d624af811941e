import { useDeferredValue, useEffect, useId, useMemo, useRef, useState, type ReactNode } from 'react'
import type { ChatExport, ChatMessage } from '~/review/chat-export'

/** Bubbles drawn at once: a 10,000-message group chat stays quick to search and scroll. */
const PAGE = 100
/** A cited message longer than this is cut, so one quote cannot fill a note on its own. */
const QUOTE_CHARS = 2000

const FORMATS: Record<string, string> = { 'whatsapp-android': 'WhatsApp export (Android)', 'whatsapp-ios': 'WhatsApp export (iPhone)' }

/** The quote a note gets: "> [time] sender: text", every line of it marked as quoted. */
export function quoteOf(m: ChatMessage, fileName: string): string {
  const body = m.attachment ? `[attached: ${m.attachment}]${m.text ? ` ${m.text}` : ''}` : m.text
  const cut = body.length > QUOTE_CHARS ? `${body.slice(0, QUOTE_CHARS)}…` : body
  const line = `[${m.time}] ${m.sender ? `${m.sender}: ` : ''}${cut}`
  return `${line
    .split('\n')
    .map((l) => `> ${l}`)
    .join('\n')}\n(from ${fileName})`
}

/** Splits text around every case-insensitive occurrence of `q`, marking each one. */
function marked(text: string, q: string): ReactNode {
  if (!q) return text
  const lower = text.toLowerCase()
  const out: ReactNode[] = []
  let from = 0
  for (let i = lower.indexOf(q); i >= 0; i = lower.indexOf(q, i + q.length)) {
    out.push(text.slice(from, i), <mark key={i}>{text.slice(i, i + q.length)}</mark>)
    from = i + q.length
  }
  out.push(text.slice(from))
  return out
}

function occurrences(hay: string, q: string): number {
  let n = 0
  for (let i = hay.indexOf(q); i >= 0; i = hay.indexOf(q, i + q.length)) n++
  return n
}

const OMITTED_WORDS = /^<Media omitted>$/

/**
 * A chat export as a conversation: one bubble per message with sender and time as written in
 * the export, notices set apart, media the export left out marked. Every string is React text.
 */
export function ChatView({ chat, media, fileName, onCite }: { chat: ChatExport; media: string[]; fileName: string; onCite?: (quote: string) => void }) {
  const id = useId()
  const [query, setQuery] = useState('')
  const [page, setPage] = useState(0)
  const [focus, setFocus] = useState<number | null>(null)
  const listRef = useRef<HTMLOListElement>(null)
  const q = useDeferredValue(query.trim().toLowerCase())
  const hay = useMemo(() => chat.messages.map((m) => `${m.sender ?? ''}\n${m.text}\n${m.attachment ?? ''}`.toLowerCase()), [chat])
  const shown = useMemo(() => {
    const all = chat.messages.map((_, i) => i)
    return q ? all.filter((i) => hay[i].includes(q)) : all
  }, [chat, hay, q])
  const hits = useMemo(() => (q ? shown.reduce((n, i) => n + occurrences(hay[i], q), 0) : 0), [shown, hay, q])
  const pages = Math.max(1, Math.ceil(shown.length / PAGE))
  const at = Math.min(page, pages - 1)
  const slice = shown.slice(at * PAGE, at * PAGE + PAGE)
  const senders = useMemo(() => new Set(chat.messages.map((m) => m.sender).filter(Boolean)).size, [chat])
  const notices = useMemo(() => chat.messages.filter((m) => m.system).length, [chat])

  const pending = useRef<number | null>(null)
  useEffect(() => {
    if (pending.current === null) return
    const el = listRef.current?.querySelector<HTMLElement>(`[data-index="${pending.current}"]`)
    if (!el) return // the deferred search has not caught up yet
    pending.current = null
    el.focus()
    el.scrollIntoView({ block: 'center' })
  }, [focus, at, shown])

  function search(value: string) {
    setQuery(value)
    setPage(0)
    setFocus(null)
  }

  /** From a search hit back to the whole chat, on the page that holds the message. */
  function inContext(i: number) {
    search('')
    setPage(Math.floor(i / PAGE))
    setFocus(i)
    pending.current = i
  }

  const pager = (where: string) =>
    pages > 1 ? (
      <nav className="chat__pager" aria-label={`Chat pages, ${where}`}>
        <button type="button" className="button button--secondary button--small" disabled={at === 0} onClick={() => setPage(at - 1)}>
          Earlier messages
        </button>
        <span>
          Messages {(at * PAGE + 1).toLocaleString('en-GB')}–{Math.min(shown.length, at * PAGE + PAGE).toLocaleString('en-GB')} of{' '}
          {shown.length.toLocaleString('en-GB')}
        </span>
        <button type="button" className="button button--secondary button--small" disabled={at >= pages - 1} onClick={() => setPage(at + 1)}>
          Later messages
        </button>
      </nav>
    ) : null

  return (
    <section className="chat" aria-label={`Conversation in ${fileName}`} data-chat={fileName}>
      <p className="hint">
        {FORMATS[chat.format] ?? 'Chat export'} · {(chat.messages.length - notices).toLocaleString('en-GB')} messages from {senders}{' '}
        {senders === 1 ? 'person' : 'people'}
        {notices ? `, ${notices.toLocaleString('en-GB')} chat ${notices === 1 ? 'notice' : 'notices'}` : ''}. Times are as the phone wrote them: 03/04 may mean
        3 April or 4 March.
      </p>
      {media.length ? (
        <p className="hint">
          The zip also holds {media.length.toLocaleString('en-GB')} {media.length === 1 ? 'picture or other file' : 'pictures or other files'}. They are not
          opened here; the chat names each one where it was sent.
        </p>
      ) : null}
      <div className="chat__search">
        <label htmlFor={`${id}-q`} className="field__label">
          Search this chat
        </label>
        <input id={`${id}-q`} type="search" value={query} onChange={(e) => search(e.target.value)} autoComplete="off" />
        <p role="status" className="chat__count" data-chat-count={q ? shown.length : undefined}>
          {q
            ? `${shown.length.toLocaleString('en-GB')} of ${chat.messages.length.toLocaleString('en-GB')} messages match, ${hits.toLocaleString('en-GB')} ${hits === 1 ? 'place' : 'places'} highlighted`
            : ''}
        </p>
      </div>
      {pager('top')}
      {slice.length === 0 ? <p className="empty">No message in this chat matches.</p> : null}
      <ol className="chat__list" ref={listRef}>
        {slice.map((i) => {
          const m = chat.messages[i]
          return (
            <li
              key={i}
              data-index={i}
              tabIndex={-1}
              className={`chat-msg${m.system ? ' chat-msg--system' : ''}${focus === i ? ' chat-msg--focus' : ''}`}
              data-chat-msg
            >
              <p className="chat-msg__head">
                <span className="chat-msg__sender">{m.system ? 'Chat notice' : marked(m.sender ?? '', q)}</span>
                {m.time ? <span className="chat-msg__time"> · {m.time}</span> : null}
              </p>
              {m.omitted ? (
                <p className="chat-msg__omitted">
                  <strong>Media omitted</strong>: the export left this picture, video or file out.{OMITTED_WORDS.test(m.text) ? '' : ` (${m.text})`}
                </p>
              ) : m.text ? (
                <p className="preserve">{marked(m.text, q)}</p>
              ) : null}
              {m.attachment ? (
                <p className="chat-msg__omitted">
                  <strong>Attached</strong>: {marked(m.attachment, q)}
                  {media.includes(m.attachment) ? ' (in the zip, not opened here)' : ' (not included)'}
                </p>
              ) : null}
              <div className="row-actions">
                {onCite ? (
                  <button type="button" className="button button--secondary button--small" onClick={() => onCite(quoteOf(m, fileName))}>
                    Cite in a note<span className="visually-hidden">: message of {m.time}</span>
                  </button>
                ) : null}
                {q ? (
                  <button type="button" className="button button--secondary button--small" onClick={() => inContext(i)}>
                    Show in the whole chat
                  </button>
                ) : null}
              </div>
            </li>
          )
        })}
      </ol>
      {pager('bottom')}
    </section>
  )
}
