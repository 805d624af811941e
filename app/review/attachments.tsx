import { useEffect, useRef, useState } from 'react'
import type { FileRef } from '#crypto'
import { FILE_DAMAGED, fetchAndOpen, saveBytes } from '~/ui/files.client'
import { planFor, previewOf, type Preview, type Why } from '~/review/previews.client'
import { ChatView } from './chat-view'
import { RowBoundary } from '~/ui/row-boundary'
import { useSay } from '~/ui/fields'
import { said, sayWith, sizeMessage, type Message } from '#common/i18n/message'
import { useT } from '~/ui/i18n'
import type { Translate } from '#common/i18n/translate'

type State =
  | { at: 'idle' }
  | { at: 'fetching'; percent: number; then: 'show' | 'save' }
  | { at: 'open'; preview: Preview | null }
  | { at: 'failed'; message: Message | string; damaged: boolean }

const kindOf = (t: Translate, f: FileRef, preview: Preview | null) => {
  if (preview?.kind === 'active') return t('triage.files.kindActive')
  if (preview?.kind === 'chat') return t('triage.files.kindChat')
  const type = f.type
  if (type.startsWith('image/')) return t('triage.files.kindPicture')
  if (type.startsWith('audio/')) return t('triage.files.kindAudio')
  if (type.startsWith('video/')) return t('triage.files.kindVideo')
  if (type === 'application/pdf') return 'PDF'
  if (type === 'application/zip') return 'zip'
  if (type === 'text/plain') return t('triage.files.kindText')
  return t('triage.files.kindFile')
}

/**
 * A message's attachments, listed by name and size. Small pictures and text open with the page;
 * the rest are fetched only on request. All opening happens in this browser, all or nothing.
 */
export function Attachments({ files, onCite, title }: { files: FileRef[]; onCite?: (quote: string) => void; title?: string }) {
  const t = useT()
  if (files.length === 0) return null
  return (
    <div className="attachments">
      <p className="attachments__title">
        {title ?? t('triage.files.title')} ({files.length})
      </p>
      <ul className="attachments__list">
        {files.map((f) => (
          <RowBoundary
            key={f.id}
            fallback={
              <li className="attachment" data-unreadable>
                {t('triage.files.broken')}
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
  const t = useT()
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
          · {kindOf(t, file, preview)} · {say(sizeMessage(file.size))}
        </span>
      </p>
      {state.at === 'fetching' ? (
        <div className="attachment__progress" role="status">
          <label>
            {state.then === 'save' ? t('triage.files.fetchingSave', { percent: state.percent }) : t('triage.files.fetchingShow', { percent: state.percent })}
            <progress max={100} value={state.percent} />
          </label>
        </div>
      ) : null}
      {state.at === 'failed' ? (
        <p className="attachment__problem" role="alert">
          {state.damaged ? t('triage.files.damaged') : say(state.message)}
        </p>
      ) : null}
      {plan.at === 'download' && !preview ? <p className="hint">{whyText(t, plan.why)}</p> : null}
      {plan.at === 'show' && state.at === 'idle' ? <p className="hint">{t('triage.files.notFetched')}</p> : null}
      {preview ? <Shown file={file} bytes={bytes.current!} preview={preview} onCite={onCite} /> : null}
      {state.at === 'failed' && state.damaged ? null : (
        <div className="row-actions">
          {showable ? (
            <button type="button" className="button button--secondary button--small" disabled={busy} onClick={() => void fetchThen('show')}>
              {state.at === 'failed' ? t('triage.files.tryAgain') : t('triage.files.show')}
              <span className="visually-hidden"> {file.name}</span>
            </button>
          ) : null}
          <button type="button" className="button button--secondary button--small" disabled={busy} onClick={() => void fetchThen('save')}>
            {t('triage.files.download')}
            <span className="visually-hidden">{t('triage.files.downloadOf', { name: file.name })}</span>
          </button>
        </div>
      )}
    </li>
  )
}

function whyText(t: Translate, why: Why): string {
  const risk = t('triage.files.ownRisk')
  if (why.id === 'pdf') return `${t('triage.files.whyPdf')} ${risk}`
  if (why.id === 'picture') return `${t('triage.files.whyPicture')} ${risk}`
  if (why.id === 'active') return `${t('triage.files.whyActive')} ${risk}`
  if (why.id === 'notPicture') return `${t('triage.files.whyNotPicture')} ${risk}`
  if (why.id === 'notChat') return `${t('triage.files.whyNotChat')} ${risk}`
  if (why.id === 'badZip') return `${why.detail ? sayWith(t, why.detail) : ''} ${risk}`
  return `${t('triage.files.whyOther')} ${risk}`
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
  const t = useT()
  switch (preview.kind) {
    case 'image':
    case 'audio':
    case 'video':
      return <Media file={file} bytes={bytes} kind={preview.kind} type={preview.type} />
    case 'text':
      return (
        <>
          <pre className="attachment__text" tabIndex={0} aria-label={t('triage.files.textOf', { name: file.name })}>
            {preview.text}
          </pre>
          {preview.cut ? <p className="hint">{t('triage.files.cut')}</p> : null}
        </>
      )
    case 'chat':
      return <ChatView chat={preview.chat} media={preview.media} fileName={file.name} onCite={onCite} />
    case 'active':
      return (
        <p className="attachment__refused" data-refused>
          <strong>{preview.claimedPicture ? t('triage.files.notPicture') : t('triage.files.downloadOnly')}</strong> {t('triage.files.active')}
        </p>
      )
    case 'none':
      return <p className="hint">{whyText(t, preview.why)}</p>
  }
}

function Media({ file, bytes, kind, type }: { file: FileRef; bytes: Uint8Array; kind: 'image' | 'audio' | 'video'; type: string }) {
  const t = useT()
  const url = useBlobUrl(bytes, type)
  const [broken, setBroken] = useState(false)
  if (!url) return null
  if (broken) return <p className="hint">{t('triage.files.cannotShow')}</p>
  if (kind === 'image')
    return (
      <figure className="attachment__figure">
        <img src={url} alt={t('triage.files.picture', { name: file.name })} onError={() => setBroken(true)} />
      </figure>
    )
  if (kind === 'audio') return <audio controls src={url} aria-label={t('triage.files.recording', { name: file.name })} onError={() => setBroken(true)} />
  return <video controls src={url} className="attachment__video" aria-label={t('triage.files.video', { name: file.name })} onError={() => setBroken(true)} />
}
