/**
 * Lossless JPEG metadata removal at the segment level: the frame, tables and entropy-coded
 * scans are copied byte for byte, so pixels are identical and nothing is re-compressed.
 * Throws a plain Error naming the defect on anything malformed; index.ts words it for people.
 */

import { concat } from '#crypto'

const SOI = 0xd8
const EOI = 0xd9
const SOS = 0xda
const APP0 = 0xe0
const APP1 = 0xe1
const APP2 = 0xe2
const APP14 = 0xee
const COM = 0xfe
const ORIENTATION_TAG = 0x0112

function startsWith(bytes: Uint8Array, ascii: string): boolean {
  if (bytes.length < ascii.length) return false
  for (let i = 0; i < ascii.length; i++) if (bytes[i] !== ascii.charCodeAt(i)) return false
  return true
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i])
}

function isFrameMarker(m: number): boolean {
  return (m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc) || m === 0xf7
}

/** Orientation (1..8) from an Exif APP1 payload, or null; every read is bounds-checked. */
export function readOrientation(payload: Uint8Array): number | null {
  if (!startsWith(payload, 'Exif\0\0')) return null
  const t = payload.subarray(6)
  const little = t[0] === 0x49 && t[1] === 0x49
  if (!little && !(t[0] === 0x4d && t[1] === 0x4d)) return null
  const u16 = (o: number) => (o + 2 > t.length ? -1 : little ? t[o] | (t[o + 1] << 8) : (t[o] << 8) | t[o + 1])
  const u32 = (o: number) =>
    o + 4 > t.length
      ? -1
      : little
        ? (t[o] | (t[o + 1] << 8) | (t[o + 2] << 16) | (t[o + 3] << 24)) >>> 0
        : ((t[o] << 24) | (t[o + 1] << 16) | (t[o + 2] << 8) | t[o + 3]) >>> 0
  if (u16(2) !== 42) return null
  const ifd = u32(4)
  const count = u16(ifd)
  if (ifd < 0 || count < 0) return null
  for (let k = 0; k < count; k++) {
    const e = ifd + 2 + 12 * k
    if (e + 12 > t.length) return null
    if (u16(e) !== ORIENTATION_TAG) continue
    if (u16(e + 2) !== 3 || u32(e + 4) < 1) return null
    const v = u16(e + 8)
    return v >= 1 && v <= 8 ? v : null
  }
  return null
}

/** The smallest Exif APP1 a viewer reads orientation from: one IFD with one SHORT. */
export function orientationSegment(v: number): Uint8Array {
  // prettier-ignore
  return new Uint8Array([
    0xff, APP1, 0x00, 0x22,
    0x45, 0x78, 0x69, 0x66, 0x00, 0x00, // Exif\0\0
    0x4d, 0x4d, 0x00, 0x2a, 0x00, 0x00, 0x00, 0x08, // big-endian TIFF, IFD0 at 8
    0x00, 0x01, // one entry
    0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, v & 0xff, 0x00, 0x00, // Orientation SHORT ×1
    0x00, 0x00, 0x00, 0x00, // no next IFD, so no thumbnail
  ])
}

/**
 * Which header segments survive. APP0 JFIF is kept without its thumbnail (a thumbnail can show
 * what a crop removed); APP2 ICC and APP14 Adobe are kept because colours decode wrong without
 * them. Everything else in APPn and COM is somebody's metadata: Exif, XMP, IPTC/Photoshop, MPF
 * (whose second images carry their own Exif), Ducky, FlashPix, C2PA, maker blocks, comments.
 */
function keepApp(m: number, payload: Uint8Array): Uint8Array | null {
  if (m === APP0 && startsWith(payload, 'JFIF\0') && payload.length >= 14) {
    const jfif = payload.slice(0, 14)
    jfif[12] = 0
    jfif[13] = 0
    return new Uint8Array([0xff, APP0, 0x00, 16, ...jfif])
  }
  if (m === APP2 && startsWith(payload, 'ICC_PROFILE\0')) return null
  if (m === APP14 && startsWith(payload, 'Adobe')) return null
  return new Uint8Array(0)
}

export function stripJpeg(b: Uint8Array): { bytes: Uint8Array; removed: boolean } {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== SOI) throw new Error('no JPEG start marker')
  const out: Uint8Array[] = [b.subarray(0, 2)]
  let removed = false
  let sawJfif = false
  let orientationDone = false
  let sawFrame = false
  let sawScan = false
  let i = 2
  for (;;) {
    if (i >= b.length) throw new Error('JPEG ends before its end marker')
    if (b[i] !== 0xff) throw new Error(`expected a marker at ${i}`)
    while (i < b.length && b[i] === 0xff) i++ // fill bytes
    if (i >= b.length) throw new Error('JPEG ends inside a marker')
    const m = b[i++]
    if (m === EOI) {
      if (!sawScan) throw new Error('JPEG has no image data')
      out.push(new Uint8Array([0xff, EOI]))
      // Whatever follows EOI (MPF images, phone trailers) is dropped with the rest.
      if (i < b.length) removed = true
      break
    }
    if (m === 0x00 || m === SOI) throw new Error(`unexpected marker ${m.toString(16)} at ${i - 1}`)
    if ((m >= 0xd0 && m <= 0xd7) || m === 0x01) {
      out.push(new Uint8Array([0xff, m]))
      continue
    }
    if (i + 2 > b.length) throw new Error('JPEG ends inside a segment length')
    const len = (b[i] << 8) | b[i + 1]
    if (len < 2 || i + len > b.length) throw new Error(`segment ${m.toString(16)} runs past the end`)
    const segment = b.subarray(i - 2, i + len)
    const payload = b.subarray(i + 2, i + len)
    i += len

    if ((m >= APP0 && m <= 0xef) || m === COM) {
      const kept = m === APP0 && sawJfif ? new Uint8Array(0) : keepApp(m, payload)
      if (kept === null) {
        out.push(segment)
        continue
      }
      if (m === APP0 && kept.length > 0) {
        sawJfif = true
        if (payload.length !== 14 || payload[12] !== 0 || payload[13] !== 0) removed = true
        out.push(kept)
        continue
      }
      const v = m === APP1 && !orientationDone ? readOrientation(payload) : null
      // Orientation is all that keeps a phone photo upright; it says nothing about who or where.
      if (v !== null) {
        orientationDone = true
        const minimal = orientationSegment(v)
        if (v !== 1) out.push(minimal)
        if (v === 1 || !sameBytes(segment, minimal)) removed = true
      } else removed = true
      continue
    }

    if (isFrameMarker(m)) sawFrame = true
    out.push(segment)
    if (m !== SOS) continue
    if (!sawFrame) throw new Error('scan before frame header')
    sawScan = true
    // Entropy-coded data ends at the first 0xFF not followed by 0x00 (stuffing) or RSTn.
    const start = i
    for (;;) {
      const ff = b.indexOf(0xff, i)
      if (ff < 0 || ff + 1 >= b.length) throw new Error('JPEG ends inside image data')
      const next = b[ff + 1]
      if (next === 0x00 || (next >= 0xd0 && next <= 0xd7)) i = ff + 2
      else if (next === 0xff) i = ff + 1
      else {
        i = ff
        break
      }
    }
    out.push(b.subarray(start, i))
  }
  return { bytes: concat(...out), removed }
}
