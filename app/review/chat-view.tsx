import { useDeferredValue, useEffect, useId, useMemo, useRef, useState, type ReactNode } from 'react'
import type { ChatExport, ChatMessage } from '~/review/chat-export'
import type { Translate } from '#common/i18n/translate'
import { useT } from '~/ui/i18n'

/** Bubbles drawn at once: a 10,000-message group chat stays quick to search and scroll. */
const PAGE = 100
/** A cited message longer than this is cut, so one quote cannot fill a note on its own. */
const QUOTE_CHARS = 2000

function formatLabel(t: Translate, format: string): string {
  if (format === 'whatsapp-android') return t('triage.chat.android')
  if (format === 'whatsapp-ios') return t('triage.chat.iphone')
  return t('triage.chat.export')
}

const n = (x: number) => x.toLocaleString('en-GB')

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
  const t = useT()
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

  const pager = (where: 'top' | 'bottom') =>
    pages > 1 ? (
      <nav className="chat__pager" aria-label={where === 'top' ? t('triage.chat.pagesTop') : t('triage.chat.pagesBottom')}>
        <button type="button" className="button button--secondary button--small" disabled={at === 0} onClick={() => setPage(at - 1)}>
          {t('triage.chat.earlier')}
        </button>
        <span>{t('triage.chat.range', { from: n(at * PAGE + 1), to: n(Math.min(shown.length, at * PAGE + PAGE)), total: n(shown.length) })}</span>
        <button type="button" className="button button--secondary button--small" disabled={at >= pages - 1} onClick={() => setPage(at + 1)}>
          {t('triage.chat.later')}
        </button>
      </nav>
    ) : null

  return (
    <section className="chat" aria-label={t('triage.chat.conversation', { name: fileName })} data-chat={fileName}>
      <p className="hint">
        {formatLabel(t, chat.format)} ·{' '}
        {senders === 1
          ? t('triage.chat.fromOne', { n: n(chat.messages.length - notices) })
          : t('triage.chat.from', { n: n(chat.messages.length - notices), senders: n(senders) })}
        {notices ? (notices === 1 ? t('triage.chat.noticeOne') : t('triage.chat.notices', { n: n(notices) })) : ''}. {t('triage.chat.times')}
      </p>
      {media.length ? <p className="hint">{media.length === 1 ? t('triage.chat.mediaOne') : t('triage.chat.media', { n: n(media.length) })}</p> : null}
      <div className="chat__search">
        <label htmlFor={`${id}-q`} className="field__label">
          {t('triage.chat.search')}
        </label>
        <input id={`${id}-q`} type="search" value={query} onChange={(e) => search(e.target.value)} autoComplete="off" />
        <p role="status" className="chat__count" data-chat-count={q ? shown.length : undefined}>
          {q
            ? hits === 1
              ? t('triage.chat.matchesOne', { n: n(shown.length), total: n(chat.messages.length) })
              : t('triage.chat.matches', { n: n(shown.length), total: n(chat.messages.length), hits: n(hits) })
            : ''}
        </p>
      </div>
      {pager('top')}
      {slice.length === 0 ? <p className="empty">{t('triage.chat.none')}</p> : null}
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
                <span className="chat-msg__sender">{m.system ? t('triage.chat.notice') : marked(m.sender ?? '', q)}</span>
                {m.time ? <span className="chat-msg__time"> · {m.time}</span> : null}
              </p>
              {m.omitted ? (
                <p className="chat-msg__omitted">
                  <strong>{t('triage.chat.omitted')}</strong>: {t('triage.chat.omittedWhy')}
                  {OMITTED_WORDS.test(m.text) ? '' : ` (${m.text})`}
                </p>
              ) : m.text ? (
                <p className="preserve">{marked(m.text, q)}</p>
              ) : null}
              {m.attachment ? (
                <p className="chat-msg__omitted">
                  <strong>{t('triage.chat.attached')}</strong>: {marked(m.attachment, q)}
                  {media.includes(m.attachment) ? t('triage.chat.inZip') : t('triage.chat.notIncluded')}
                </p>
              ) : null}
              <div className="row-actions">
                {onCite ? (
                  <button type="button" className="button button--secondary button--small" onClick={() => onCite(quoteOf(m, fileName))}>
                    {t('triage.chat.cite')}
                    <span className="visually-hidden">{t('triage.chat.citeOf', { time: m.time })}</span>
                  </button>
                ) : null}
                {q ? (
                  <button type="button" className="button button--secondary button--small" onClick={() => inContext(i)}>
                    {t('triage.chat.inContext')}
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
