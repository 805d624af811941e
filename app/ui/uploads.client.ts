import type { FileRef } from '#crypto'
import type { Stripped } from '#common/metadata/index'
import { hiddenMessage } from '#common/metadata/hidden'
import { FILE_LIMITS } from '#common/limits'
import { limitMessage, Refusal, sizeMessage, t, type Message } from '#common/i18n/message'
import { langHeader } from './api.client'
import { loadCrypto } from './crypto.client'
import { loadMetadata } from './metadata.client'
import { sendWithProof } from './pow.client'

/**
 * Evidence files leave this browser only stripped and encrypted (ADR 0014). Two steps,
 * so a page can show what stripping did before anything is sent:
 *
 *   const p = await prepareFile(file, limits.maxBytes)   // throws a Refusal (or the stripper's Error)
 *   const { ref, attachment } = await uploadPrepared(p, onProgress, signal)
 *
 * `ref` goes INSIDE the sealed message (sealReport / sealFollowup / sealReply files); `attachment`
 * goes next to the envelope in the request body (`files: [attachment]`) so the server binds the
 * blob to the report. Used by the reporter's pages and by reviewers' reply attachments.
 */

export type PreparedFile = {
  /** safeFileName() of what was picked */
  name: string
  /** the sniffed type, never what the browser claimed */
  type: string
  /** the bytes that will be encrypted: metadata already removed where the format allows */
  bytes: Uint8Array
  /** one line to show next to the file: REMOVED_NOTE for pictures, else the warning, else '' */
  note: Message | string
  /** only for files whose hidden details could not be removed (PDF, Office, video, HEIC…) */
  warning?: Message
}

export type UploadPhase = 'encrypting' | 'uploading' | 'done'
export type UploadProgress = (phase: UploadPhase, done: number, total: number) => void
export type Uploaded = { ref: FileRef; attachment: { id: string; token: string } }

/** Shown for every JPEG, PNG and WebP, even one that had nothing to remove: it now has none. */
export const REMOVED_NOTE = t('reporter.files.removed')

/** The words for a file over the limit; pages use it to refuse before reading the file at all. */
export const tooLarge = (name: string, size: number, maxBytes: number) =>
  t('reporter.files.tooLarge', { name, size: sizeMessage(size), max: limitMessage(maxBytes) })

/** Reads, checks and strips one file on this device. Nothing is sent. */
export async function prepareFile(file: File, maxBytes: number): Promise<PreparedFile> {
  const [c, m] = await Promise.all([loadCrypto(), loadMetadata()])
  let name = c.safeFileName(file.name)
  if (file.size > maxBytes) throw new Refusal(tooLarge(name, file.size, maxBytes))
  if (file.size === 0) throw new Refusal(t('reporter.files.empty', { name }))
  let raw: Uint8Array
  try {
    raw = new Uint8Array(await file.arrayBuffer())
  } catch {
    throw new Refusal(t('reporter.files.unreadable', { name }))
  }
  let stripped: Stripped
  try {
    stripped = m.stripMetadata(raw, file.type)
  } catch {
    // Its only refusal, DAMAGED_PICTURE, in the page's language.
    throw new Refusal(t('reporter.files.damagedPicture'))
  }
  // A stripped photo can gain a 34-byte orientation tag; the limit is on what is sent.
  if (stripped.bytes.length > maxBytes) throw new Refusal(tooLarge(name, stripped.bytes.length, maxBytes))
  // iPhones hand over HEIC photos as JPEG; the name should say what the bytes are.
  if (stripped.detected === 'image/jpeg' && /\.(heic|heif)$/i.test(name)) name = name.replace(/\.(heic|heif)$/i, '.jpg')
  const warning = hiddenMessage(stripped.hidden)
  const note = stripped.kind === 'image' ? REMOVED_NOTE : (warning ?? '')
  return { name, type: stripped.detected, bytes: stripped.bytes, note, ...(warning ? { warning } : {}) }
}

const PIECE = FILE_LIMITS.uploadRequestBytes
const TRIES = 5
const IN_FLIGHT = FILE_LIMITS.uploadPiecesInFlight

const aborted = () => new DOMException('The upload was stopped.', 'AbortError')

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(aborted())
    const timer = setTimeout(resolve, ms)
    signal?.addEventListener('abort', () => (clearTimeout(timer), reject(aborted())), { once: true })
  })
}

/**
 * Sends one piece at `offset`, retrying lost connections and server hiccups with backoff. The
 * server accepts any offset up to what it already has, so resending a piece whose answer was
 * lost is harmless; its `received` says where the file really stands.
 */
async function sendPiece(id: string, token: string, offset: number, piece: Uint8Array, ahead: Promise<unknown> | undefined, signal?: AbortSignal) {
  let last: Message | string = ''
  for (let attempt = 0; attempt < TRIES; attempt++) {
    if (attempt > 0) await sleep(500 * 2 ** (attempt - 1), signal)
    // Another attempt is due only because the pieces before this one are not in yet: wait for
    // them (their failure is the upload's), then this one goes again without counting a try.
    const retry = async () => {
      await ahead
      ahead = undefined
      attempt--
    }
    let res: Response
    try {
      res = await fetch(`/api/files/${id}?offset=${offset}`, {
        method: 'POST',
        headers: { ...langHeader(), 'content-type': 'application/octet-stream', authorization: `Bearer ${token}` },
        body: piece as Uint8Array<ArrayBuffer>,
        credentials: 'omit',
        cache: 'no-store',
        signal,
      })
    } catch {
      if (signal?.aborted) throw aborted()
      last = t('reporter.files.connectionLost')
      continue
    }
    const data = (await res.json().catch(() => ({}))) as { received?: number; complete?: boolean; error?: string }
    if (res.ok && typeof data.received === 'number') {
      if (data.received >= offset + piece.length || !ahead) return { received: data.received, complete: !!data.complete }
      await retry()
      continue
    }
    // Ahead of a piece still on its way, or one that has to be sent again first.
    if (res.status === 409 && ahead) {
      await retry()
      continue
    }
    // Not yours, too large, malformed: trying again would not help.
    if (res.status < 500 && res.status !== 408 && res.status !== 429) {
      if (data.error) throw new Error(data.error)
      throw new Refusal(t('reporter.files.refused', { status: res.status }))
    }
    last = data.error ?? t('reporter.files.answered', { status: res.status })
  }
  throw new Refusal(t('reporter.files.stopped', { n: TRIES, why: last }))
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0))

/**
 * Encrypts a prepared file in 64 KiB chunks and uploads the ciphertext in pieces of up to 16
 * chunks, IN_FLIGHT pieces at a time, so at most that many pieces of ciphertext are in memory.
 * Progress counts only bytes the server confirmed, in order. A piece that fails is retried; one
 * that still fails ends the upload with its words. Abort with `signal`; an unfinished upload is
 * swept by the server.
 */
export async function uploadPrepared(p: PreparedFile, onProgress: UploadProgress, signal?: AbortSignal): Promise<Uploaded> {
  const c = await loadCrypto()
  const size = p.bytes.length
  const total = c.paddedLength(size)
  onProgress('encrypting', 0, total)
  if (signal?.aborted) throw aborted()
  const { id, token } = await sendWithProof<{ id: string; token: string }>('/api/files', 'upload', { paddedSize: total })
  if (signal?.aborted) throw aborted()

  const enc = c.fileEncryptor()
  const chunks = Math.max(1, Math.ceil(size / c.FILE_CHUNK_BYTES))
  let nextChunk = 0
  let carry: Uint8Array = enc.header // cipher bytes made but not yet placed in a piece
  let padLeft = c.paddingFor(size)
  let sent = 0

  /** The next piece of the cipher stream: header, chunks, then the zero padding. */
  function nextPiece(): Uint8Array {
    const piece = new Uint8Array(Math.min(PIECE, total - sent))
    let at = 0
    while (at < piece.length) {
      if (carry.length === 0) {
        if (nextChunk < chunks) {
          const from = nextChunk * c.FILE_CHUNK_BYTES
          carry = enc.push(p.bytes.subarray(from, from + c.FILE_CHUNK_BYTES), nextChunk === chunks - 1)
          nextChunk++
        } else {
          // Zeros: the piece is already zero-filled, so padding is only counted.
          const n = Math.min(padLeft, piece.length - at)
          padLeft -= n
          at += n
          continue
        }
      }
      const n = Math.min(carry.length, piece.length - at)
      piece.set(carry.subarray(0, n), at)
      carry = carry.subarray(n)
      at += n
    }
    return piece
  }

  // The pieces in flight, oldest first. Each knows the one before it, so a piece the server
  // took ahead of its turn is sent again once that one is in.
  const flying: Promise<number>[] = []
  let confirmed = 0
  const stop = new AbortController()
  const stopAll = () => stop.abort()
  signal?.addEventListener('abort', stopAll, { once: true })
  try {
    while (sent < total || flying.length) {
      while (sent < total && flying.length < IN_FLIGHT) {
        const offset = sent
        const piece = nextPiece()
        sent += piece.length
        const ahead = flying.at(-1)
        const done = sendPiece(id, token, offset, piece, ahead, stop.signal).then(({ received }) => {
          if (received < offset + piece.length) throw new Refusal(t('reporter.files.lostPart'))
          return offset + piece.length
        })
        // Settled here as well, so a failure before its turn is never an unhandled rejection.
        done.catch(() => undefined)
        flying.push(done)
        await tick() // let the page paint between pieces
      }
      const end = await flying[0]
      flying.shift()
      confirmed = Math.max(confirmed, end)
      onProgress('uploading', confirmed, total)
    }
  } catch (err) {
    stop.abort()
    if (signal?.aborted) throw aborted()
    throw err
  } finally {
    signal?.removeEventListener('abort', stopAll)
  }
  onProgress('done', total, total)
  return { ref: { id, name: p.name, type: p.type, size, key: c.toB64(enc.key) }, attachment: { id, token } }
}
