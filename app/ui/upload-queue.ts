import { useEffect, useRef } from 'react'
import { said, t, type Message } from '#common/i18n/message'
import type { Translate } from '#common/i18n/translate'
import { prepareFile, tooLarge, uploadPrepared, type PreparedFile, type Uploaded } from '~/ui/uploads.client'

export type FileLimits = { maxBytes: number; perMessage: number }

export type UploadState = 'waiting' | 'preparing' | 'encrypting' | 'uploading' | 'done' | 'failed' | 'refused'
export type UploadItem = {
  key: string
  name: string
  size: number
  state: UploadState
  done: number
  total: number
  note?: Message | string
  warning?: Message
  error?: Message | string
}

type Entry = UploadItem & { file: File; prepared?: PreparedFile; uploaded?: Uploaded; abort?: AbortController }
export type Snapshot = { items: UploadItem[]; refusals: Array<Message | string> }
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
    const refusals: Snapshot['refusals'] = []
    for (const file of files) {
      if (file.size > this.limits.maxBytes) refusals.push(tooLarge(file.name, file.size, this.limits.maxBytes))
      else if (this.entries.length >= this.limits.perMessage) refusals.push(t('reporter.files.tooMany', { name: file.name, n: this.limits.perMessage }))
      else this.entries.push({ key: `f${++this.counter}`, file, name: file.name, size: file.size, state: 'waiting', done: 0, total: 0 })
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
          return this.update(e.key, { state: 'refused', error: said(err) })
        }
      }
      const uploaded = await uploadPrepared(e.prepared!, (phase, done, total) => this.update(e.key, { state: phase, done, total }), abort.signal)
      // Only the sealed reference is kept: the plaintext copy can go.
      this.update(e.key, { uploaded, prepared: undefined, state: 'done' })
    } catch (err) {
      if (abort.signal.aborted) return
      this.update(e.key, { state: 'failed', error: said(err) })
    }
  }
}

/** Said when Send finds files that did not upload: the message waits rather than go without them. */
export function notSent(t: Translate, names: string[]): string {
  const quoted = names.map((n) => `“${n}”`)
  return names.length === 1 ? t('reporter.files.notSentOne', { name: quoted[0] }) : t('reporter.files.notSent', { names: quoted.join(', ') })
}

/** One queue per page, stopped when the page goes. */
export function useUploadQueue(limits: FileLimits): UploadQueue {
  const ref = useRef<UploadQueue | null>(null)
  ref.current ??= new UploadQueue(limits)
  const queue = ref.current
  useEffect(() => () => queue.stop(), [queue])
  return queue
}
