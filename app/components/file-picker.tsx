import { useEffect, useRef, useSyncExternalStore } from 'react'
import { useHydrated } from '~/lib/hydrated'
import { prepareFile, tooLarge, uploadPrepared, type PreparedFile, type Uploaded } from '~/lib/uploads.client'

export type FileLimits = { maxBytes: number; perMessage: number }

/** Sizes as people read them. Not files.client's: this also renders on the server (no-JS pages). */
export const formatSize = (n: number) =>
  n < 1024 ? `${n} bytes` : n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1024 / 1024).toFixed(1)} MiB`
const mib = (n: number) => `${Math.round((n / 1024 / 1024) * 10) / 10} MiB`

export type UploadState = 'waiting' | 'preparing' | 'encrypting' | 'uploading' | 'done' | 'failed' | 'refused'
export type UploadItem = {
  key: string
  name: string
  size: number
  state: UploadState
  done: number
  total: number
  note?: string
  warning?: string
  error?: string
}

type Entry = UploadItem & { file: File; prepared?: PreparedFile; uploaded?: Uploaded; abort?: AbortController }
type Snapshot = { items: UploadItem[]; refusals: string[] }
const BUSY: UploadState[] = ['waiting', 'preparing', 'encrypting', 'uploading']

/**
 * The files of one message, prepared and uploaded one at a time as soon as they are chosen, so
 * they are ready by the time the officer presses Send. Lives with the page, not the form, so
 * uploads carry on while the officer checks their answers.
 */
export class UploadQueue {
  private entries: Entry[] = []
  private snapshot: Snapshot = { items: [], refusals: [] }
  private listeners = new Set<() => void>()
  private waiters: Array<() => void> = []
  private running = false
  private counter = 0

  constructor(readonly limits: FileLimits) {}

  subscribe = (fn: () => void) => {
    this.listeners.add(fn)
    return () => this.listeners.delete(fn)
  }
  getSnapshot = () => this.snapshot

  private changed(refusals = this.snapshot.refusals) {
    this.snapshot = { items: this.entries.map(({ file: _f, prepared: _p, uploaded: _u, abort: _a, ...item }) => item), refusals }
    for (const fn of this.listeners) fn()
    if (!this.entries.some((e) => BUSY.includes(e.state))) for (const w of this.waiters.splice(0)) w()
  }

  private update(key: string, patch: Partial<Entry>) {
    const e = this.entries.find((x) => x.key === key)
    if (!e) return
    Object.assign(e, patch)
    this.changed()
  }

  /** Files over the size limit or past the count are refused here, before anything is read or sent. */
  add(files: File[]) {
    const refusals: string[] = []
    for (const file of files) {
      if (file.size > this.limits.maxBytes) refusals.push(tooLarge(file.name, file.size, this.limits.maxBytes))
      else if (this.entries.length >= this.limits.perMessage)
        refusals.push(`“${file.name}” was not added: at most ${this.limits.perMessage} files can go with one message.`)
      else
        this.entries.push({ key: `f${++this.counter}`, file, name: file.name, size: file.size, state: 'waiting', done: 0, total: 0 })
    }
    this.changed(refusals)
    void this.pump()
  }

  remove(key: string) {
    this.entries.find((e) => e.key === key)?.abort?.abort()
    this.entries = this.entries.filter((e) => e.key !== key)
    this.changed([])
  }

  retry(key: string) {
    this.update(key, { state: 'waiting', error: undefined, done: 0 })
    void this.pump()
  }

  /** Resolves once nothing is waiting or in flight. */
  settled(): Promise<void> {
    if (!this.entries.some((e) => BUSY.includes(e.state))) return Promise.resolve()
    return new Promise((resolve) => this.waiters.push(resolve))
  }

  /** Files that did not make it: Send names them rather than going without them. */
  problems(): UploadItem[] {
    return this.snapshot.items.filter((i) => i.state === 'failed' || i.state === 'refused')
  }

  results(): Uploaded[] {
    return this.entries.flatMap((e) => (e.uploaded ? [e.uploaded] : []))
  }

  /** After the message is sent: its files belong to it now. */
  clear() {
    this.stop()
    this.entries = []
    this.changed([])
  }

  stop() {
    for (const e of this.entries) e.abort?.abort()
  }

  private async pump() {
    if (this.running) return
    this.running = true
    try {
      for (let e = this.next(); e; e = this.next()) await this.run(e)
    } finally {
      this.running = false
    }
  }

  private next = () => this.entries.find((e) => e.state === 'waiting')

  private async run(e: Entry) {
    const abort = new AbortController()
    e.abort = abort
    try {
      if (!e.prepared) {
        this.update(e.key, { state: 'preparing' })
        try {
          const p = await prepareFile(e.file, this.limits.maxBytes)
          this.update(e.key, { prepared: p, name: p.name, size: p.bytes.length, note: p.note, warning: p.warning })
        } catch (err) {
          return this.update(e.key, { state: 'refused', error: (err as Error).message })
        }
      }
      const uploaded = await uploadPrepared(
        e.prepared!,
        (phase, done, total) => this.update(e.key, { state: phase, done, total }),
        abort.signal,
      )
      // Only the sealed reference is kept: the plaintext copy can go.
      this.update(e.key, { uploaded, prepared: undefined, state: 'done' })
    } catch (err) {
      if (abort.signal.aborted) return
      this.update(e.key, { state: 'failed', error: (err as Error).message })
    }
  }
}

/** Said when Send finds files that did not upload: the message waits rather than go without them. */
export function notSent(names: string[]): string {
  const quoted = names.map((n) => `“${n}”`)
  return names.length === 1
    ? `${quoted[0]} was not sent. Try again or remove it, then send. Nothing else was sent yet.`
    : `These files were not sent: ${quoted.join(', ')}. Try again or remove them, then send. Nothing else was sent yet.`
}

/** One queue per page, stopped when the page goes. */
export function useUploadQueue(limits: FileLimits): UploadQueue {
  const ref = useRef<UploadQueue | null>(null)
  ref.current ??= new UploadQueue(limits)
  const queue = ref.current
  useEffect(() => () => queue.stop(), [queue])
  return queue
}

function phaseWords(i: UploadItem): string {
  if (i.state === 'waiting') return 'Waiting…'
  if (i.state === 'preparing') return 'Removing hidden details…'
  if (i.state === 'encrypting') return 'Encrypting…'
  if (i.state === 'uploading') return 'Uploading'
  return 'Done'
}

/** The chosen files with what was removed, progress, and Remove / Try again. */
export function UploadRows({ queue }: { queue: UploadQueue }) {
  const { items } = useSyncExternalStore(queue.subscribe, queue.getSnapshot, queue.getSnapshot)
  if (items.length === 0) return null
  return (
    <ul className="file-list" aria-label="Files added">
      {items.map((i) => (
        <li key={i.key} className={`file-row file-row--${i.state}`} data-file={i.name} data-state={i.state}>
          <p className="file-row__name">
            <strong className="preserve">{i.name}</strong> <span className="file-row__size">{formatSize(i.size)}</span>
          </p>
          {i.warning ? (
            <p className="file-row__warning"><strong>Hidden details may remain.</strong> {i.warning}</p>
          ) : i.note ? (
            <p className="file-row__note file-row__note--ok">{i.note}</p>
          ) : null}
          {i.state === 'failed' || i.state === 'refused' ? (
            <p className="field__error" role="alert">
              <span className="visually-hidden">Error: </span>
              {i.error}
            </p>
          ) : (
            <div className="file-row__progress">
              <progress
                max={i.total || 1}
                value={i.state === 'done' ? i.total || 1 : i.state === 'uploading' ? i.done : undefined}
                aria-label={`Sending ${i.name}`}
              />
              <span>
                <span aria-live="polite">{phaseWords(i)}</span>
                {i.state === 'uploading' ? ` ${Math.floor((100 * i.done) / (i.total || 1))}%` : null}
              </span>
            </div>
          )}
          <div className="row-actions">
            {i.state === 'failed' ? (
              <button type="button" className="button button--small" onClick={() => queue.retry(i.key)}>
                Try again<span className="visually-hidden"> to send {i.name}</span>
              </button>
            ) : null}
            <button type="button" className="button button--secondary button--small" onClick={() => queue.remove(i.key)}>
              Remove<span className="visually-hidden"> {i.name}</span>
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
export function FilePicker(props: { limits: FileLimits; queue?: UploadQueue; id?: string; label?: string; hint?: string; device?: string }) {
  // Reporters are on their phone; a reviewer at a desk is told "in this browser".
  const { limits, queue, id = 'files', device = 'on this phone' } = props
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
      <label htmlFor={id} id={`${id}-label`} className="field__label">{props.label ?? 'Evidence files (optional)'}</label>
      <div className="hint" id={`${id}-hint`}>
        {props.hint ? <>{props.hint} </> : null}
        {`Up to ${limits.perMessage} ${limits.perMessage === 1 ? 'file' : 'files'}, each up to ${mib(limits.maxBytes)}. `}
        {enhanced
          ? `Photos lose their location and device details ${device} before they are sent.`
          : `Photos lose their location and device details before they are stored. With JavaScript off, that happens on Candour's server, not ${device}.`}
      </div>
      {snap.refusals.length ? (
        <div className="field__error" role="alert" id={`${id}-refused`}>
          {snap.refusals.map((r) => (
            <p key={r}>{r}</p>
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
          {snap.items.length ? 'Add more files' : 'Choose files'}
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

/**
 * Without JavaScript, files already uploaded through the form (engineer G's step data): listed by
 * name, size and what was removed, and carried to the next step in one hidden field.
 */
export type PlainFile = { ref: { name: string; size: number }; note?: string }

export function PlainFiles({ files }: { files: PlainFile[] }) {
  if (files.length === 0) return null
  return (
    <ul className="file-list" aria-label="Files added">
      {files.map((f, n) => (
        <li key={n} className="file-row file-row--done" data-file={f.ref.name}>
          <p className="file-row__name">
            <strong className="preserve">{f.ref.name}</strong> <span className="file-row__size">{formatSize(f.ref.size)}</span>
          </p>
          {f.note ? <p className="file-row__note">{f.note}</p> : null}
        </li>
      ))}
    </ul>
  )
}

/** The no-JS steps' files, carried to the next post; inside the form that posts it. */
export function FileRefsField({ files, fileRefs }: { files: PlainFile[]; fileRefs?: string }) {
  if (!fileRefs && files.length === 0) return null
  return <input type="hidden" name="fileRefs" value={fileRefs ?? JSON.stringify(files)} />
}

/** Reads the no-JS step's files defensively: the field is optional until every step carries it. */
export function plainFilesOf(view: unknown): { files: PlainFile[]; fileRefs?: string } {
  const v = view as { files?: unknown; fileRefs?: unknown }
  const files = Array.isArray(v?.files)
    ? (v.files as PlainFile[]).filter((f) => typeof f?.ref?.name === 'string' && typeof f.ref.size === 'number')
    : []
  return { files, fileRefs: typeof v?.fileRefs === 'string' ? v.fileRefs : undefined }
}

const noSubscribe = () => () => {}
const EMPTY: Snapshot = { items: [], refusals: [] }
const emptySnapshot = () => EMPTY
