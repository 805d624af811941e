/**
 * Lossless PNG metadata removal: chunks are kept or dropped whole, so IDAT (the pixels) and
 * every kept chunk's CRC are untouched. Throws a plain Error naming the defect on anything
 * malformed; index.ts words it for people.
 */

import { concat } from '#crypto'

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]

/**
 * Ancillary chunks a viewer needs for colour, transparency, scale or animation (APNG). All
 * others go: tEXt, zTXt and iTXt (author, software, comments, sometimes whole XMP packets),
 * eXIf (GPS, device), tIME, dSIG, sPLT names, caBX (C2PA) and private chunks such as iDOT.
 */
const KEEP = new Set(['tRNS', 'cHRM', 'gAMA', 'iCCP', 'sBIT', 'sRGB', 'cICP', 'mDCV', 'cLLI', 'bKGD', 'hIST', 'pHYs', 'acTL', 'fcTL', 'fdAT'])

let table: Uint32Array | null = null

export function crc32(bytes: Uint8Array, seed = 0): number {
  if (!table) {
    table = new Uint32Array(256)
    for (let n = 0; n < 256; n++) {
      let c = n
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
      table[n] = c >>> 0
    }
  }
  let c = ~seed >>> 0
  for (let i = 0; i < bytes.length; i++) c = table[(c ^ bytes[i]) & 0xff] ^ (c >>> 8)
  return ~c >>> 0
}

const u32 = (b: Uint8Array, o: number) => ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0

export function isPng(b: Uint8Array): boolean {
  return b.length >= 8 && SIGNATURE.every((v, i) => b[i] === v)
}

export function stripPng(b: Uint8Array): { bytes: Uint8Array; removed: boolean } {
  if (!isPng(b)) throw new Error('no PNG signature')
  const out: Uint8Array[] = [b.subarray(0, 8)]
  let removed = false
  let i = 8
  let first = true
  for (;;) {
    if (i + 12 > b.length) throw new Error('PNG ends before IEND')
    const len = u32(b, i)
    if (len > 0x7fffffff || i + 12 + len > b.length) throw new Error(`chunk at ${i} runs past the end`)
    const type = String.fromCharCode(b[i + 4], b[i + 5], b[i + 6], b[i + 7])
    if (!/^[A-Za-z]{4}$/.test(type)) throw new Error(`bad chunk type at ${i}`)
    const chunk = b.subarray(i, i + 12 + len)
    i += 12 + len
    if (first && (type !== 'IHDR' || len !== 13)) throw new Error('PNG does not start with IHDR')
    first = false
    // Critical chunks (upper-case first letter) are needed to decode; the rest only if listed.
    const critical = type.charCodeAt(0) < 0x61
    if (!critical && !KEEP.has(type)) {
      removed = true
      continue
    }
    if (crc32(chunk.subarray(4, 8 + len)) !== u32(chunk, 8 + len)) throw new Error(`bad CRC in ${type}`)
    out.push(chunk)
    if (type === 'IEND') break
  }
  if (i < b.length) removed = true // bytes after IEND are nobody's pixels
  return { bytes: concat(...out), removed }
}
