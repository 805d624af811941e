/**
 * Lossless WebP metadata removal: RIFF chunks are kept or dropped whole, the VP8X flags that
 * announce Exif and XMP are cleared, and the RIFF size is rewritten. Throws a plain Error naming
 * the defect on anything malformed; index.ts words it for people.
 */

import { concat } from '#crypto'

/** Chunks that carry pixels, alpha, colour or animation; EXIF, "XMP " and unknown chunks go. */
const KEEP = new Set(['VP8 ', 'VP8L', 'VP8X', 'ALPH', 'ANIM', 'ANMF', 'ICCP'])
const IMAGE = new Set(['VP8 ', 'VP8L', 'ANMF'])
const VP8X_EXIF = 0x08
const VP8X_XMP = 0x04

const fourcc = (b: Uint8Array, o: number) => String.fromCharCode(b[o], b[o + 1], b[o + 2], b[o + 3])
const u32le = (b: Uint8Array, o: number) => (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0

export function isWebp(b: Uint8Array): boolean {
  return b.length >= 12 && fourcc(b, 0) === 'RIFF' && fourcc(b, 8) === 'WEBP'
}

export function stripWebp(b: Uint8Array): { bytes: Uint8Array; removed: boolean } {
  if (!isWebp(b)) throw new Error('no RIFF WEBP header')
  const riff = u32le(b, 4)
  if (riff < 4 || 8 + riff > b.length) throw new Error('RIFF size runs past the end')
  const end = 8 + riff
  let removed = end < b.length
  const kept: Uint8Array[] = []
  let sawImage = false
  let i = 12
  while (i < end) {
    if (i + 8 > end) throw new Error(`chunk header at ${i} runs past the end`)
    const type = fourcc(b, i)
    const size = u32le(b, i + 4)
    if (size > end - i - 8) throw new Error(`${type} chunk runs past the end`)
    const padded = Math.min(size + (size & 1), end - i - 8) // a missing last pad byte is tolerated
    let chunk = b.subarray(i, i + 8 + padded)
    if (i === 12 && type !== 'VP8 ' && type !== 'VP8L' && type !== 'VP8X') throw new Error('first chunk is not VP8/VP8L/VP8X')
    i += 8 + padded
    if (!KEEP.has(type)) {
      removed = true
      continue
    }
    if (IMAGE.has(type)) sawImage = true
    if (padded !== size + (size & 1)) {
      const whole = new Uint8Array(8 + size + 1)
      whole.set(chunk)
      chunk = whole
    }
    if (type === 'VP8X') {
      if (size < 10) throw new Error('VP8X chunk too short')
      if (chunk[8] & (VP8X_EXIF | VP8X_XMP)) {
        chunk = chunk.slice()
        chunk[8] &= ~(VP8X_EXIF | VP8X_XMP)
        removed = true
      }
    }
    kept.push(chunk)
  }
  if (!sawImage) throw new Error('WebP has no image chunk')
  const bytes = concat(b.subarray(0, 12), ...kept)
  const size = bytes.length - 8
  bytes[4] = size & 0xff
  bytes[5] = (size >>> 8) & 0xff
  bytes[6] = (size >>> 16) & 0xff
  bytes[7] = (size >>> 24) & 0xff
  return { bytes, removed }
}
