import { unstable_parseMultipartFormData, type UploadHandler, type UploadHandlerPart } from '@remix-run/node'
import { z } from 'zod'
import { HIDDEN_FAMILIES, type FileNote } from '#common/metadata/hidden'
import { sniffType, stripMetadata } from '#common/metadata/index'
import { FILE_CHUNK_BYTES, fileEncryptor, paddingFor, safeFileName, toB64, wipe, type FileEncryptor, type FileRef } from '#crypto'
import type { Attachment, BlobService } from '../blobs.server'
import { isUserError, UserError } from '#common/errors'
import { LIMITS } from '#common/limits'
import { bytes, parseInput } from '#common/wire'

/**
 * Evidence without JavaScript (issue #5): the report and follow-up forms post multipart bodies,
 * read here as a stream. Each file is stripped with the same common/metadata/ code the browser
 * runs and encrypted as it arrives; only ciphertext reaches the disk. Remix's parser is given our own
 * handler, so nothing is spilled to temporary files (its file handler is never used), and
 * plaintext lives in this request's memory: one 64 KiB chunk at a time, or a whole picture,
 * since a picture's hidden details can sit anywhere in it.
 */

/**
 * One stored file as the no-JS pages carry it between steps (hidden field `fileRefs`). Its note
 * is codes, so each step's page says it in that step's language (common/metadata/hidden.ts).
 */
export type PlainFile = { ref: FileRef; token: string; note: FileNote }

export const FILE_REFS_FIELD = 'fileRefs'

// The formats common/metadata/ strips: the whole file is needed before anything can be encrypted.
const STRIPPABLE = new Set(['image/jpeg', 'image/png', 'image/webp'])

type Blobs = Pick<BlobService, 'write' | 'discard' | 'admitNoJs'>
type Limits = { maxBytes: number; perMessage: number }

const mib = (n: number) => `${Math.round(n / 1024 / 1024)} MiB`
export const attachments = (files: PlainFile[]): Attachment[] => files.map((f) => ({ id: f.ref.id, token: f.token }))

/**
 * The posted form, and for a multipart body the files it carried, already stored. A refused
 * request keeps nothing: files written before the problem are deleted, and the rest of the body
 * is read and dropped so the browser gets to show the answer rather than a broken connection.
 */
export async function readPostedForm(request: Request, blobs: Blobs, limits: Limits): Promise<{ form: FormData; files: PlainFile[] }> {
  if (!/^multipart\/form-data\b/i.test(request.headers.get('content-type') ?? '')) {
    try {
      return { form: await request.formData(), files: [] }
    } catch {
      throw new UserError(400, 'errors.forms.unreadable')
    }
  }
  if (!request.body) throw new UserError(400, 'errors.forms.unreadable')
  const reader = request.body.getReader()
  // Our own view of the body, so that after a refusal we can still read the rest away.
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const r = await reader.read()
        if (r.done) controller.close()
        else controller.enqueue(r.value)
      },
    },
    { highWaterMark: 0 },
  )
  const files: PlainFile[] = []
  let textBytes = 0
  const handler: UploadHandler = async (part) => {
    if (part.filename === undefined) {
      const chunks: Uint8Array[] = []
      for await (const c of part.data) {
        textBytes += c.length
        if (textBytes > LIMITS.requestBytes) throw new UserError(413, 'errors.forms.tooLong')
        chunks.push(c)
      }
      return new TextDecoder().decode(Buffer.concat(chunks))
    }
    // A file input left empty still sends a part, with no name and no bytes.
    if (part.filename === '' || part.name !== 'files') {
      for await (const _ of part.data) void _
      return undefined
    }
    if (files.length >= limits.perMessage) throw tooMany(limits.perMessage)
    files.push(await storeFile(part, blobs, limits))
    return undefined
  }
  try {
    const form = await unstable_parseMultipartFormData({ headers: request.headers, body } as unknown as Request, handler)
    return { form, files }
  } catch (err) {
    await blobs.discard(attachments(files))
    await drain(reader)
    if (isUserError(err)) throw err
    // The parser refuses a name with ; or = in it (it splits the header on them).
    if (err instanceof Error && /content-disposition/.test(err.message)) throw new UserError(400, 'errors.files.badName')
    throw new UserError(400, 'errors.forms.unreadable')
  }
}

async function drain(reader: ReadableStreamDefaultReader<Uint8Array>) {
  try {
    for (;;) if ((await reader.read()).done) break
  } catch {
    // The connection went away: nothing left to read.
  }
}

export const tooMany = (perMessage: number) =>
  perMessage ? new UserError(400, 'errors.files.tooManyNotSent', { values: { max: perMessage } }) : new UserError(400, 'errors.files.notHere')

/** Strips, encrypts and stores one file part; the blob is gone again if anything fails. */
async function storeFile(part: UploadHandlerPart, blobs: Blobs, limits: Limits): Promise<PlainFile> {
  const name = safeFileName(part.filename ?? '')
  const chunks = rechunk(capped(part.data, limits.maxBytes, name, blobs))[Symbol.asyncIterator]()
  const first = await chunks.next()
  if (first.done) throw new Error('rechunk always yields a chunk')
  const detected = sniffType(first.value.bytes)
  const enc = fileEncryptor()
  let note: FileNote
  let source: AsyncIterable<Chunk>
  if (STRIPPABLE.has(detected)) {
    const whole = await gather(first.value, chunks)
    let stripped: Uint8Array
    try {
      stripped = stripMetadata(whole, part.contentType ?? '').bytes
    } catch {
      throw new UserError(400, 'errors.files.damagedPicture', { values: { name } })
    }
    if (stripped !== whole) wipe(whole)
    source = inMemory(stripped)
    note = { removed: true }
  } else {
    const { hidden } = stripMetadata(first.value.bytes, part.contentType ?? '')
    note = hidden ? { hidden } : { nothingHidden: true }
    source = (async function* () {
      yield first.value
      for (let c = await chunks.next(); !c.done; c = await chunks.next()) yield c.value
    })()
  }
  const stored = await blobs.write(sealed(enc, source))
  return { ref: { id: stored.id, name, type: detected, size: enc.size, key: toB64(enc.key) }, token: stored.token, note }
}

type Chunk = { bytes: Uint8Array; last: boolean }

/**
 * Counts the bytes of one file as they arrive; past the limit the request is refused. Each piece
 * is charged to the shared no-JS byte budget first (decision 20), before anything is done with it.
 */
async function* capped(data: AsyncIterable<Uint8Array>, max: number, name: string, blobs: Pick<Blobs, 'admitNoJs'>) {
  let n = 0
  for await (const c of data) {
    n += c.length
    if (n > max) throw new UserError(413, 'errors.files.fileTooLarge', { values: { name, size: mib(max) } })
    blobs.admitNoJs(c.length)
    yield c
  }
}

/**
 * Canonical 64 KiB chunks, the last one marked. A full chunk is held back until a further byte
 * arrives, since only then is it known not to be the last (crypto/files.ts). An empty file is
 * one empty last chunk.
 */
async function* rechunk(data: AsyncIterable<Uint8Array>): AsyncGenerator<Chunk> {
  let buf = new Uint8Array(FILE_CHUNK_BYTES)
  let fill = 0
  for await (const c of data) {
    for (let at = 0; at < c.length;) {
      if (fill === FILE_CHUNK_BYTES) {
        yield { bytes: buf, last: false }
        buf = new Uint8Array(FILE_CHUNK_BYTES)
        fill = 0
      }
      const n = Math.min(FILE_CHUNK_BYTES - fill, c.length - at)
      buf.set(c.subarray(at, at + n), fill)
      fill += n
      at += n
    }
  }
  yield { bytes: buf.subarray(0, fill), last: true }
}

async function gather(first: Chunk, rest: AsyncIterator<Chunk>): Promise<Uint8Array> {
  const parts = [first.bytes]
  for (let done = first.last; !done;) {
    const c = await rest.next()
    if (c.done) break
    parts.push(c.value.bytes)
    done = c.value.last
  }
  const whole = Buffer.concat(parts)
  wipe(...parts)
  return whole
}

async function* inMemory(bytes: Uint8Array): AsyncGenerator<Chunk> {
  const n = Math.max(1, Math.ceil(bytes.length / FILE_CHUNK_BYTES))
  for (let i = 0; i < n; i++) yield { bytes: bytes.subarray(i * FILE_CHUNK_BYTES, (i + 1) * FILE_CHUNK_BYTES), last: i === n - 1 }
}

/** header ‖ chunks ‖ zeros to the bucket: the layout openFile expects. Plaintext is wiped once sealed. */
async function* sealed(enc: FileEncryptor, chunks: AsyncIterable<Chunk>): AsyncGenerator<Uint8Array> {
  yield enc.header
  for await (const c of chunks) {
    yield enc.push(c.bytes, c.last)
    wipe(c.bytes)
    if (c.last) break
  }
  for (let left = paddingFor(enc.size); left > 0; left -= FILE_CHUNK_BYTES) yield new Uint8Array(Math.min(left, FILE_CHUNK_BYTES))
}

/**
 * The files an earlier step stored, as its page carried them back: checked like any input. The
 * server never trusts them further than this; attaching them needs each upload's token.
 */
export function carriedFiles(form: FormData, limits: Limits): PlainFile[] {
  const raw = form.get(FILE_REFS_FIELD)
  if (typeof raw !== 'string' || raw === '') return []
  if (raw.length > 64 * 1024) throw new UserError(413, 'errors.files.listTooLong')
  let value: unknown
  try {
    value = JSON.parse(raw)
  } catch {
    throw new UserError(400, 'errors.files.listUnreadable')
  }
  // Said here, in the page's language, rather than by the schema's own words below.
  if (Array.isArray(value) && value.length > limits.perMessage) throw new UserError(400, 'errors.files.tooMany', { values: { max: limits.perMessage } })
  return parseInput(plainFilesSchema(limits), value)
}

const noteSchema = z.union([
  z.strictObject({ removed: z.literal(true) }),
  z.strictObject({ nothingHidden: z.literal(true) }),
  z.strictObject({ hidden: z.strictObject({ family: z.enum(HIDDEN_FAMILIES).optional(), notPicture: z.literal(true).optional() }) }),
  // Words a server before these codes wrote, in a form still open when it was upgraded.
  z.string().max(1000),
])

const plainFilesSchema = (limits: Limits) =>
  z
    .array(
      z.strictObject({
        ref: z.strictObject({
          id: z.string().regex(/^[A-Za-z0-9_-]{22}$/, 'unknown file'),
          name: z.string().min(1).max(400).transform(safeFileName),
          type: z
            .string()
            .regex(/^[a-z]+\/[a-z0-9.+-]+$/, 'unknown file type')
            .max(100),
          size: z.number().int().min(0).max(limits.maxBytes),
          key: bytes(32, 'file key'),
        }),
        token: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'unknown upload'),
        note: noteSchema,
      }),
    )
    .max(limits.perMessage, `At most ${limits.perMessage} files can go with one message.`)
