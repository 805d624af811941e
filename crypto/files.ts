import { utf8 } from './encoding'
import { bucketSize } from './padding'
import { sodium } from './sodium'

/**
 * Evidence files (docs/protocol.md, section 8.1; ADR 0014). Layout of the stored ciphertext:
 *
 *   header(24) ‖ chunk₀ ‖ … ‖ chunkₙ ‖ zeros up to bucketSize(unpadded length)
 *
 * Each chunk is secretstream over exactly 64 KiB of plaintext (17 bytes longer), the last one
 * shorter and tagged FINAL. The split is canonical (only an empty file has an empty chunk), so
 * the true size carried in the sealed message fixes every boundary and the total length.
 */
export const FILE_CHUNK_BYTES = 64 * 1024
export const FILE_HEADER_BYTES = 24
export const FILE_CHUNK_OVERHEAD = 17
export const FILE_CIPHER_CHUNK_BYTES = FILE_CHUNK_BYTES + FILE_CHUNK_OVERHEAD
export const FILE_KEY_BYTES = 32

/** What travels inside the sealed report for each file; the server never sees it. */
export type FileRef = {
  /** the blob's id on the server */
  id: string
  /** safeFileName() of what the officer picked */
  name: string
  /** the sniffed type (stripMetadata().detected), not what the browser claimed */
  type: string
  /** true plaintext size in bytes, after metadata removal */
  size: number
  /** file key, unpadded base64url */
  key: string
}

export const DAMAGED = 'The file is damaged or incomplete.'

// Binds every chunk to this use, so a secretstream made for anything else never opens here.
const AD = utf8('candour-file-v1')
const TAG_MESSAGE = 0
const TAG_FINAL = 3

function checkSize(plainSize: number): void {
  if (!Number.isSafeInteger(plainSize) || plainSize < 0) throw new Error('file size must be a whole number of bytes')
}

export function chunkCount(plainSize: number): number {
  checkSize(plainSize)
  return Math.max(1, Math.ceil(plainSize / FILE_CHUNK_BYTES))
}

function unpaddedLength(plainSize: number): number {
  return FILE_HEADER_BYTES + plainSize + chunkCount(plainSize) * FILE_CHUNK_OVERHEAD
}

/** Stored length of a file of plainSize bytes: the same for every size in one bucket. */
export function paddedLength(plainSize: number): number {
  return bucketSize(unpaddedLength(plainSize))
}

/** How many zero bytes a streamer appends after the FINAL chunk (a count, so it can write them in pieces). */
export function paddingFor(plainSize: number): number {
  return paddedLength(plainSize) - unpaddedLength(plainSize)
}

export type FileEncryptor = {
  key: Uint8Array
  header: Uint8Array
  /**
   * Encrypts the next plaintext chunk. Every chunk but the last is exactly FILE_CHUNK_BYTES; the
   * last is 1..FILE_CHUNK_BYTES, or empty only for an empty file. A streamer that cannot tell
   * whether more follows holds one full chunk back until it knows.
   */
  push(plainChunk: Uint8Array, last: boolean): Uint8Array
  /** plaintext bytes pushed so far */
  readonly size: number
}

export function fileEncryptor(): FileEncryptor {
  const s = sodium()
  const key = s.crypto_secretstream_xchacha20poly1305_keygen()
  const { state, header } = s.crypto_secretstream_xchacha20poly1305_init_push(key)
  let size = 0
  let done = false
  return {
    key,
    header,
    get size() {
      return size
    },
    push(plainChunk, last) {
      if (done) throw new Error('the file was already finished')
      if (!last && plainChunk.length !== FILE_CHUNK_BYTES) throw new Error(`every chunk but the last must be ${FILE_CHUNK_BYTES} bytes`)
      if (last && plainChunk.length > FILE_CHUNK_BYTES) throw new Error(`a chunk holds at most ${FILE_CHUNK_BYTES} bytes`)
      if (last && plainChunk.length === 0 && size > 0) throw new Error('the last chunk may be empty only for an empty file')
      size += plainChunk.length
      done = last
      return s.crypto_secretstream_xchacha20poly1305_push(state, plainChunk, AD, last ? TAG_FINAL : TAG_MESSAGE)
    },
  }
}

export type FileDecryptor = {
  /**
   * Opens the next cipher chunk (FILE_CIPHER_CHUNK_BYTES, the last one shorter). Throws on any
   * tamper, reorder or non-canonical split. Plaintext before `last` is not yet known to be the
   * whole file: a caller that shows anything must wait for `last`, or use openFile.
   */
  pull(cipherChunk: Uint8Array): { plain: Uint8Array; last: boolean }
}

export function fileDecryptor(key: Uint8Array, header: Uint8Array): FileDecryptor {
  const s = sodium()
  if (key.length !== FILE_KEY_BYTES || header.length !== FILE_HEADER_BYTES) throw new Error(DAMAGED)
  let state: ReturnType<typeof s.crypto_secretstream_xchacha20poly1305_init_pull>
  try {
    state = s.crypto_secretstream_xchacha20poly1305_init_pull(header, key)
  } catch {
    throw new Error(DAMAGED)
  }
  let pulled = 0
  let done = false
  return {
    pull(cipherChunk) {
      if (done) throw new Error(DAMAGED) // anything after FINAL is an appended chunk
      if (cipherChunk.length < FILE_CHUNK_OVERHEAD || cipherChunk.length > FILE_CIPHER_CHUNK_BYTES) throw new Error(DAMAGED)
      const r = s.crypto_secretstream_xchacha20poly1305_pull(state, cipherChunk, AD)
      if (!r) throw new Error(DAMAGED)
      const last = r.tag === TAG_FINAL
      const canonical = last ? r.message.length > 0 || pulled === 0 : r.tag === TAG_MESSAGE && r.message.length === FILE_CHUNK_BYTES
      if (!canonical) {
        s.memzero(r.message)
        throw new Error(DAMAGED)
      }
      pulled++
      done = last
      return { plain: r.message, last }
    },
  }
}

/** Encrypts a whole file in memory: padded ciphertext and its fresh key. */
export function sealFile(plain: Uint8Array): { key: Uint8Array; ciphertext: Uint8Array } {
  const enc = fileEncryptor()
  const out = new Uint8Array(paddedLength(plain.length)) // zero-filled, so the padding is already there
  out.set(enc.header, 0)
  let at = FILE_HEADER_BYTES
  const n = chunkCount(plain.length)
  for (let i = 0; i < n; i++) {
    const c = enc.push(plain.subarray(i * FILE_CHUNK_BYTES, (i + 1) * FILE_CHUNK_BYTES), i === n - 1)
    out.set(c, at)
    at += c.length
  }
  return { key: enc.key, ciphertext: out }
}

/**
 * Opens a whole stored file, given the true size from the sealed message. Any wrong length,
 * wrong key, tampered, missing, reordered or appended chunk, or non-zero padding throws DAMAGED;
 * nothing is returned unless every byte checked out.
 */
export function openFile(key: Uint8Array, ciphertext: Uint8Array, plainSize: number): Uint8Array {
  if (!Number.isSafeInteger(plainSize) || plainSize < 0) throw new Error(DAMAGED)
  if (ciphertext.length !== paddedLength(plainSize)) throw new Error(DAMAGED)
  const out = new Uint8Array(plainSize)
  try {
    const dec = fileDecryptor(key, ciphertext.subarray(0, FILE_HEADER_BYTES))
    let at = FILE_HEADER_BYTES
    let written = 0
    const n = chunkCount(plainSize)
    for (let i = 0; i < n; i++) {
      const len = Math.min(FILE_CHUNK_BYTES, plainSize - written) + FILE_CHUNK_OVERHEAD
      const { plain, last } = dec.pull(ciphertext.subarray(at, at + len))
      if (last !== (i === n - 1) || plain.length !== len - FILE_CHUNK_OVERHEAD) throw new Error(DAMAGED)
      out.set(plain, written)
      written += plain.length
      at += len
    }
    // Padding is not authenticated; insisting on zeros catches a chunk hidden in it.
    for (let i = at; i < ciphertext.length; i++) if (ciphertext[i] !== 0) throw new Error(DAMAGED)
    return out
  } catch {
    sodium().memzero(out)
    throw new Error(DAMAGED)
  }
}

const MAX_NAME_CHARS = 120
const MAX_EXT_CHARS = 16
// C0/C1 controls, and the invisible and direction marks that make "gpj.exe" read as "exe.jpg".
const UNSAFE_CHARS =
  // eslint-disable-next-line no-misleading-character-class -- the class lists combining marks in order to strip them
  /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\uffff]/gu
const RESERVED = /[<>:"|?*]/g
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\.|$)/i

/**
 * A file name that is safe to show and to offer as a download: the last path component only,
 * no control or direction characters, no leading dots (hidden files), at most 120 characters
 * with the extension kept, never empty.
 */
export function safeFileName(name: string): string {
  let n = String(name ?? '').normalize('NFC')
  n = n.split(/[/\\]/).pop() ?? ''
  n = n
    .replace(/[\t\n\v\f\r]/g, ' ')
    .replace(UNSAFE_CHARS, '')
    .replace(RESERVED, '_')
    .replace(/\s+/gu, ' ')
    .trim()
  n = n.replace(/^[.\s]+/u, '').replace(/[.\s]+$/u, '')
  if (WINDOWS_DEVICE.test(n)) n = `_${n}`
  const chars = Array.from(n)
  if (chars.length > MAX_NAME_CHARS) {
    const dot = n.lastIndexOf('.')
    const ext = dot > 0 ? Array.from(n.slice(dot)) : []
    const keep = ext.length > 1 && ext.length <= MAX_EXT_CHARS ? ext : []
    n =
      chars
        .slice(0, MAX_NAME_CHARS - keep.length)
        .join('')
        .replace(/[.\s]+$/u, '') + keep.join('')
  }
  return n || 'file'
}
