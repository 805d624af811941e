import { createContext, useContext, useState } from 'react'
import type { FileRef } from '#crypto'
import type { ThreadFile } from '#common/thread-model'
import { said, sizeMessage, type Message } from '#common/i18n/message'
import { HiddenValues, useSay } from '~/ui/fields'
import { RowBoundary } from '~/ui/row-boundary'
import { useLangHref, useT } from '~/ui/i18n'

/** A file as the thread shows it; the key only where this browser can use it (JS). */
export type Download = (file: FileRef, onProgress: (done: number, total: number) => void) => Promise<void>

/** Without JavaScript the code rides in each download form, as in the follow-up form. */
export const PlainReceipt = createContext<string | undefined>(undefined)

/**
 * Files that came with a message. With JavaScript each opens in this browser (all or nothing)
 * and is saved under its own name; without it, the server opens it in memory with the code.
 */
export function AttachedFiles({ files, download }: { files: ThreadFile[]; download?: Download }) {
  const receipt = useContext(PlainReceipt)
  const t = useT()
  if (files.length === 0) return null
  return (
    <>
      <ul className="file-list file-list--thread" aria-label={t('check.files.label')}>
        {files.map((f) => (
          <RowBoundary
            key={f.id}
            fallback={
              <li className="file-row" data-unreadable>
                {t('check.files.unreadable')}
              </li>
            }
          >
            <AttachedFile file={f} download={download} />
          </RowBoundary>
        ))}
      </ul>
      {download || receipt ? null : <p className="hint">{t('check.files.needJs')}</p>}
    </>
  )
}

function AttachedFile({ file, download }: { file: ThreadFile; download?: Download }) {
  const [state, setState] = useState<{ busy?: boolean; done?: number; total?: number; error?: Message | string; saved?: boolean }>({})
  const usable = download && file.key
  const receipt = useContext(PlainReceipt)
  const t = useT()
  const say = useSay()
  const href = useLangHref()
  const name = <span className="visually-hidden"> {file.name}</span>
  return (
    <li className="file-row" data-file={file.name}>
      <p className="file-row__name">
        <strong className="preserve" dir="auto">
          {file.name}
        </strong>{' '}
        <span className="file-row__size">{say(sizeMessage(file.size))}</span>
      </p>
      {state.busy ? (
        <div className="file-row__progress">
          <progress max={state.total || 1} value={state.done ?? 0} aria-label={t('check.files.downloading', { name: file.name })} />
          <span>{t('check.files.progress', { percent: Math.floor((100 * (state.done ?? 0)) / (state.total || 1)) })}</span>
        </div>
      ) : null}
      {state.error ? (
        <p className="field__error" role="alert">
          {say(state.error)}
        </p>
      ) : null}
      {state.saved ? (
        <p className="file-row__note" role="status">
          {t('check.files.saved')}
        </p>
      ) : null}
      {usable ? (
        <div className="row-actions">
          <button
            type="button"
            className="button button--secondary button--small"
            disabled={state.busy}
            onClick={async () => {
              setState({ busy: true, done: 0 })
              try {
                await download({ ...file, key: file.key! }, (done, total) => setState({ busy: true, done, total }))
                setState({ saved: true })
              } catch (err) {
                setState({ error: said(err) })
              }
            }}
          >
            {t('check.files.download')}
            {name}
          </button>
        </div>
      ) : receipt ? (
        <form method="post" action={href('/check/download')} className="row-actions">
          <HiddenValues values={{ receipt, file: file.id }} />
          <button type="submit" className="button button--secondary button--small">
            {t('check.files.download')}
            {name}
          </button>
        </form>
      ) : null}
    </li>
  )
}
