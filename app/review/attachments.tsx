import { useEffect, useRef, useState } from 'react'
import type { FileRef } from '#crypto'
import { FILE_DAMAGED, fetchAndOpen, saveBytes } from '~/ui/files.client'
import { planFor, previewOf, type Preview } from '~/review/previews.client'
import { ChatView } from './chat-view'
import { RowBoundary } from '~/ui/row-boundary'
import { useSay } from '~/ui/fields'
import { said, sizeMessage, type Message } from '#common/i18n/message'

type State =
  | { at: 'idle' }
  | { at: 'fetching'; percent: number; then: 'show' | 'save' }
  | { at: 'open'; preview: Preview | null }
  | { at: 'failed'; message: Message | string; damaged: boolean }

const kindOf = (f: FileRef, preview: Preview | null) => {
  if (preview?.kind === 'active') return 'web page or drawing'
  if (preview?.kind === 'chat') return 'chat export'
  const t = f.type
  if (t.startsWith('image/')) return 'picture'
  if (t.startsWith('audio/')) return 'audio'
  if (t.startsWith('video/')) return 'video'
  if (t === 'application/pdf') return 'PDF'
  if (t === 'application/zip') return 'zip'
  if (t === 'text/plain') return 'text'
  return 'file'
}

/**
 * A message's attachments, listed by name and size. Small pictures and text open with the page;
 * the rest are fetched only on request. All opening happens in this browser, all or nothing.
 */
export function Attachments({ files, onCite, title = 'Files' }: { files: FileRef[]; onCite?: (quote: string) => void; title?: string }) {
  if (files.length === 0) return null
  return (
    <div className="attachments">
      <p className="attachments__title">
        {title} ({files.length})
      </p>
      <ul className="attachments__list">
        {files.map((f) => (
          <RowBoundary
            key={f.id}
            fallback={
              <li className="attachment" data-unreadable>
                A file that could not be read or shown.
              </li>
            }
          >
            <Attachment file={f} onCite={onCite} />
          </RowBoundary>
        ))}
      </ul>
    </div>
  )
}

function Attachment({ file, onCite }: { file: FileRef; onCite?: (quote: string) => void }) {
  const say = useSay()
  const plan = planFor(file)
  const [state, setState] = useState<State>({ at: 'idle' })
  const bytes = useRef<Uint8Array | null>(null)
  const live = useRef(true)
  const started = useRef(false)

  async function fetchThen(then: 'show' | 'save') {
    if (!bytes.current) {
      setState({ at: 'fetching', percent: 0, then })
      try {
        let shown = -1
        bytes.current = await fetchAndOpen(file, { cookies: true }, (done, total) => {
          const percent = Math.floor((done / Math.max(1, total)) * 100)
          if (percent !== shown && live.current) setState({ at: 'fetching', percent: (shown = percent), then })
        })
      } catch (err) {
        const message = said(err)
        if (live.current) setState({ at: 'failed', message, damaged: message === FILE_DAMAGED })
        return
      }
    }
    if (!live.current) return
    if (then === 'save') {
      saveBytes(bytes.current, file.name)
      // A file saved without a preview stays unshown; one already shown stays shown.
      setState((s) => (s.at === 'open' ? s : { at: 'open', preview: null }))
    } else {
      setState({ at: 'open', preview: await previewOf(bytes.current, file) })
    }
  }

  useEffect(() => {
    live.current = true
    if (plan.at === 'auto' && !started.current) {
      started.current = true
      void fetchThen('show')
    }
    return () => {
      live.current = false
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once per file: the plan depends on the file alone
  }, [file.id])

  const preview = state.at === 'open' ? state.preview : null
  const busy = state.at === 'fetching'
  const showable = plan.at !== 'download' && !preview && !(state.at === 'failed' && state.damaged)
  return (
    <li className="attachment" data-file={file.name} data-state={state.at === 'open' ? (preview?.kind ?? 'saved') : state.at}>
      <p className="attachment__head">
        <span className="attachment__name">{file.name}</span>
        <span className="attachment__meta">
          {' '}
          · {kindOf(file, preview)} · {say(sizeMessage(file.size))}
        </span>
      </p>
      {state.at === 'fetching' ? (
        <div className="attachment__progress" role="status">
          <label>
            {state.then === 'save' ? 'Fetching and opening for download' : 'Fetching and opening in this browser'}: {state.percent}%
            <progress max={100} value={state.percent} />
          </label>
        </div>
      ) : null}
      {state.at === 'failed' ? (
        <p className="attachment__problem" role="alert">
          {state.damaged ? 'This file is damaged or incomplete, so none of it is shown. Ask the sender for it again.' : say(state.message)}
        </p>
      ) : null}
      {plan.at === 'download' && !preview ? <p className="hint">{plan.why}</p> : null}
      {plan.at === 'show' && state.at === 'idle' ? <p className="hint">Not fetched yet: larger files and recordings open only when you ask.</p> : null}
      {preview ? <Shown file={file} bytes={bytes.current!} preview={preview} onCite={onCite} /> : null}
      {state.at === 'failed' && state.damaged ? null : (
        <div className="row-actions">
          {showable ? (
            <button type="button" className="button button--secondary button--small" disabled={busy} onClick={() => void fetchThen('show')}>
              {state.at === 'failed' ? 'Try again' : 'Show'}
              <span className="visually-hidden"> {file.name}</span>
            </button>
          ) : null}
          <button type="button" className="button button--secondary button--small" disabled={busy} onClick={() => void fetchThen('save')}>
            Download original<span className="visually-hidden"> of {file.name}</span>
          </button>
        </div>
      )}
    </li>
  )
}

/** A blob: URL for the opened bytes, revoked when the preview leaves the page. */
function useBlobUrl(bytes: Uint8Array, type: string): string | null {
  const [url, setUrl] = useState<string | null>(null)
  useEffect(() => {
    const u = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type }))
    setUrl(u)
    return () => URL.revokeObjectURL(u)
  }, [bytes, type])
  return url
}

function Shown({ file, bytes, preview, onCite }: { file: FileRef; bytes: Uint8Array; preview: Preview; onCite?: (quote: string) => void }) {
  switch (preview.kind) {
    case 'image':
    case 'audio':
    case 'video':
      return <Media file={file} bytes={bytes} kind={preview.kind} type={preview.type} />
    case 'text':
      return (
        <>
          <pre className="attachment__text" tabIndex={0} aria-label={`Text of ${file.name}`}>
            {preview.text}
          </pre>
          {preview.cut ? <p className="hint">Only the first part is shown here. Download the original for all of it.</p> : null}
        </>
      )
    case 'chat':
      return <ChatView chat={preview.chat} media={preview.media} fileName={file.name} onCite={onCite} />
    case 'active':
      return (
        <p className="attachment__refused" data-refused>
          <strong>{preview.claimedPicture ? 'This file is not a picture; it can only be downloaded.' : 'This file can only be downloaded.'}</strong> It is
          really a web page or drawing that can contain code, so Candour will not show it. Open it only if you must, with your own software, at your own risk.
        </p>
      )
    case 'none':
      return <p className="hint">{preview.why}</p>
  }
}

function Media({ file, bytes, kind, type }: { file: FileRef; bytes: Uint8Array; kind: 'image' | 'audio' | 'video'; type: string }) {
  const url = useBlobUrl(bytes, type)
  const [broken, setBroken] = useState(false)
  if (!url) return null
  if (broken) return <p className="hint">This browser could not show it. Download the original and open it with your own software, at your own risk.</p>
  if (kind === 'image')
    return (
      <figure className="attachment__figure">
        <img src={url} alt={`Attached picture ${file.name}`} onError={() => setBroken(true)} />
      </figure>
    )
  if (kind === 'audio') return <audio controls src={url} aria-label={`Recording ${file.name}`} onError={() => setBroken(true)} />
  return <video controls src={url} className="attachment__video" aria-label={`Video ${file.name}`} onError={() => setBroken(true)} />
}
