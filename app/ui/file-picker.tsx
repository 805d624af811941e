import { useEffect, useRef, useSyncExternalStore } from 'react'
import type { Translate } from '#common/i18n/translate'
import { limitMessage, minutesMessage, sizeMessage } from '#common/i18n/message'
import { useHydrated } from '~/ui/hydrated'
import { useSay } from '~/ui/fields'
import { useT } from '~/ui/i18n'
import type { FileLimits, Snapshot, UploadItem, UploadQueue } from '~/ui/upload-queue'

function phaseWords(t: Translate, i: UploadItem): string {
  if (i.state === 'waiting') return t('reporter.files.waiting')
  if (i.state === 'preparing') return t('reporter.files.preparing')
  if (i.state === 'encrypting') return t('reporter.files.encrypting')
  if (i.state === 'uploading') return t('reporter.files.uploading')
  return t('reporter.files.done')
}

/** The chosen files with what was removed, progress, and Remove / Try again. */
export function UploadRows({ queue }: { queue: UploadQueue }) {
  const t = useT()
  const say = useSay()
  const { items } = useSyncExternalStore(queue.subscribe, queue.getSnapshot, queue.getSnapshot)
  if (items.length === 0) return null
  return (
    <ul className="file-list" aria-label={t('reporter.files.added')}>
      {items.map((i) => (
        <li key={i.key} className={`file-row file-row--${i.state}`} data-file={i.name} data-state={i.state}>
          <p className="file-row__name">
            <strong className="preserve">{i.name}</strong> <span className="file-row__size">{say(sizeMessage(i.size))}</span>
          </p>
          {i.warning ? (
            <p className="file-row__warning">
              <strong>{t('reporter.files.mayRemain')}</strong> {say(i.warning)}
            </p>
          ) : i.note ? (
            <p className="file-row__note file-row__note--ok">{say(i.note)}</p>
          ) : null}
          {i.state === 'failed' || i.state === 'refused' ? (
            <p className="field__error" role="alert">
              <span className="visually-hidden">{t('reporter.fields.errorPrefix')}</span>
              {say(i.error ?? '')}
            </p>
          ) : (
            <div className="file-row__progress">
              <progress
                max={i.total || 1}
                value={i.state === 'done' ? i.total || 1 : i.state === 'uploading' ? i.done : undefined}
                aria-label={t('reporter.files.sending', { name: i.name })}
              />
              <span>
                <span aria-live="polite">{phaseWords(t, i)}</span>
                {i.state === 'uploading' ? ` ${Math.floor((100 * i.done) / (i.total || 1))}%` : null}
              </span>
            </div>
          )}
          <div className="row-actions">
            {i.state === 'failed' ? (
              <button type="button" className="button button--small" onClick={() => queue.retry(i.key)}>
                {t('reporter.files.tryAgain')}
                <span className="visually-hidden"> {t('reporter.files.tryAgainNamed', { name: i.name })}</span>
              </button>
            ) : null}
            <button type="button" className="button button--secondary button--small" onClick={() => queue.remove(i.key)}>
              {t('reporter.files.remove')}
              <span className="visually-hidden"> {i.name}</span>
            </button>
          </div>
        </li>
      ))}
    </ul>
  )
}

/**
 * A plain multiple file input that works in a multipart form without JavaScript; with it, each
 * chosen file is stripped, encrypted and uploaded here and listed with its progress. The limits
 * are stated before anything is chosen.
 */
export function FilePicker(props: {
  /** keptMinutes: where no-JS files wait for a later step (the report), how long they are kept. */
  limits: FileLimits & { keptMinutes?: number }
  queue?: UploadQueue
  id?: string
  label?: string
  hint?: string
  device?: 'phone' | 'browser'
}) {
  // Reporters are on their phone; a reviewer at a desk is told "in this browser".
  const { limits, queue, id = 'files', device = 'phone' } = props
  const t = useT()
  const say = useSay()
  const hydrated = useHydrated()
  const input = useRef<HTMLInputElement>(null)
  const snap = useSyncExternalStore(queue?.subscribe ?? noSubscribe, queue?.getSnapshot ?? emptySnapshot, queue?.getSnapshot ?? emptySnapshot)
  const enhanced = hydrated && !!queue
  // Files chosen before the page's script ran would otherwise be silently ignored.
  useEffect(() => {
    if (!enhanced || !input.current?.files?.length) return
    queue!.add([...input.current.files])
    input.current.value = ''
  }, [enhanced, queue])
  if (limits.perMessage < 1) return null
  const describedBy = `${id}-hint${snap.refusals.length ? ` ${id}-refused` : ''}`
  return (
    <div className="field file-picker" data-file-picker>
      <label htmlFor={id} id={`${id}-label`} className="field__label">
        {props.label ?? t('reporter.files.label')}
      </label>
      <div className="hint" id={`${id}-hint`}>
        {props.hint ? <>{props.hint} </> : null}
        {limits.perMessage === 1
          ? t('reporter.files.limitOne', { size: say(limitMessage(limits.maxBytes)) })
          : t('reporter.files.limit', { n: limits.perMessage, size: say(limitMessage(limits.maxBytes)) })}{' '}
        {enhanced
          ? device === 'phone'
            ? t('reporter.files.strippedPhone')
            : t('reporter.files.strippedBrowser')
          : device === 'phone'
            ? t('reporter.files.serverPhone')
            : t('reporter.files.serverBrowser')}
        {!enhanced && limits.keptMinutes ? ` ${keptWords(t, say, limits.keptMinutes)}` : null}
      </div>
      {snap.refusals.length ? (
        <div className="field__error" role="alert" id={`${id}-refused`}>
          {snap.refusals.map((r, n) => (
            <p key={n}>{say(r)}</p>
          ))}
        </div>
      ) : null}
      {/* With JS the input is cleared after each choice, so its own "No file chosen" would
          contradict the list below: a button opens it instead. */}
      {enhanced ? (
        <button
          type="button"
          id={`${id}-button`}
          className="button button--secondary file-picker__button"
          aria-labelledby={`${id}-label ${id}-button`}
          aria-describedby={describedBy}
          onClick={() => input.current?.click()}
        >
          {snap.items.length ? t('reporter.files.addMore') : t('reporter.files.choose')}
        </button>
      ) : null}
      <input
        ref={input}
        type="file"
        id={id}
        name="files"
        multiple
        className={enhanced ? 'visually-hidden' : 'file-picker__input'}
        tabIndex={enhanced ? -1 : undefined}
        // With JS the button above stands for it; a second, unlabelled-looking control confuses screen readers.
        aria-hidden={enhanced || undefined}
        aria-describedby={describedBy}
        onChange={(e) => {
          if (!enhanced) return
          queue!.add([...(e.currentTarget.files ?? [])])
          // Cleared so the same file can be chosen again, and so nothing is also posted as a form.
          e.currentTarget.value = ''
        }}
      />
      {enhanced ? <UploadRows queue={queue!} /> : null}
    </div>
  )
}

/** How long files sent without JavaScript wait for the report (decision 20). */
export const keptWords = (t: Translate, say: ReturnType<typeof useSay>, minutes: number) => t('reporter.files.kept', { kept: say(minutesMessage(minutes)) })

const noSubscribe = () => () => {}
const EMPTY: Snapshot = { items: [], refusals: [] }
const emptySnapshot = () => EMPTY
