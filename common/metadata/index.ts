import { stripJpeg } from './jpeg'
import { isPng, stripPng } from './png'
import { isWebp, stripWebp } from './webp'
import type { Hidden, HiddenFamily } from './hidden'

/**
 * Hidden details in evidence files (ADR 0014). The type is sniffed from the bytes:
 * the declared type and the name are whatever the officer's phone or a tamperer said.
 */
export type Stripped = {
  bytes: Uint8Array
  /** 'image': a JPEG, PNG or WebP now free of location, device and text metadata */
  kind: 'image' | 'other'
  /** whether anything was actually taken out (false for a clean image and for every 'other') */
  removed: boolean
  /** the type the bytes really are */
  detected: string
  /** for 'other': what may still be inside, as codes the page words in its reader's language (hidden.ts) */
  hidden?: Hidden
}

/** The Error's message for a picture that cannot be parsed; each page words it in its own language. */
export const DAMAGED_PICTURE = 'damaged picture: its hidden details cannot be removed'

const STRIPPERS: Record<string, (b: Uint8Array) => { bytes: Uint8Array; removed: boolean }> = {
  'image/jpeg': stripJpeg,
  'image/png': stripPng,
  'image/webp': stripWebp,
}

// What each type can carry; null: nothing hidden worth a warning.
const FAMILY: Record<string, HiddenFamily | null> = {
  'image/heic': 'heic',
  'image/avif': 'heic',
  'image/tiff': 'tiff',
  'image/gif': 'gif',
  'image/bmp': null,
  'application/pdf': 'pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'office',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'office',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'office',
  'application/vnd.oasis.opendocument': 'office',
  'application/x-ole-storage': 'office',
  'application/rtf': 'rtf',
  'application/zip': 'zip',
  'video/mp4': 'video',
  'video/quicktime': 'video',
  'video/3gpp': 'video',
  'video/webm': 'video',
  'video/x-msvideo': 'video',
  'audio/mp4': 'audio',
  'audio/mpeg': 'audio',
  'audio/ogg': 'audio',
  'audio/flac': 'audio',
  'audio/wav': 'audio',
  'audio/amr': 'audio',
  'text/html': 'markup',
  'image/svg+xml': 'markup',
  'application/xml': 'markup',
  'text/plain': null,
  'application/octet-stream': 'unknown',
}

const ascii = (b: Uint8Array, from: number, to: number) => String.fromCharCode(...b.subarray(from, Math.min(to, b.length)))

function has(b: Uint8Array, text: string, limit = b.length): boolean {
  const first = text.charCodeAt(0)
  const end = Math.min(limit, b.length) - text.length
  for (let i = b.indexOf(first); i >= 0 && i <= end; i = b.indexOf(first, i + 1)) {
    let k = 1
    while (k < text.length && b[i + k] === text.charCodeAt(k)) k++
    if (k === text.length) return true
  }
  return false
}

function sniffIsoBmff(b: Uint8Array): string {
  const boxEnd = Math.min(b.length, ((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0, 256)
  const brands = [ascii(b, 8, 12)]
  for (let o = 16; o + 4 <= boxEnd; o += 4) brands.push(ascii(b, o, o + 4))
  if (brands.some((x) => /^(heic|heix|heim|heis|hevc|hevx|mif1|mif2|msf1)$/.test(x)))
    return brands.includes('avif') || brands.includes('avis') ? 'image/avif' : 'image/heic'
  if (brands.includes('avif') || brands.includes('avis')) return 'image/avif'
  if (brands[0] === 'qt  ') return 'video/quicktime'
  if (/^M4[AB] $/.test(brands[0])) return 'audio/mp4'
  if (brands[0].startsWith('3g')) return 'video/3gpp'
  return 'video/mp4'
}

function sniffZip(b: Uint8Array): string {
  if (has(b, 'mimetype', 64) && has(b, 'application/vnd.oasis.opendocument', 128)) return 'application/vnd.oasis.opendocument'
  if (!has(b, '[Content_Types].xml')) return 'application/zip'
  if (has(b, 'word/')) return 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'
  if (has(b, 'xl/')) return 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
  if (has(b, 'ppt/')) return 'application/vnd.openxmlformats-officedocument.presentationml.presentation'
  return 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'
}

function looksLikeText(b: Uint8Array): boolean {
  const head = b.subarray(0, 64 * 1024)
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) return true
  if (head.includes(0)) return false
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true })
    return true
  } catch {
    return false
  }
}

/** The real type of a file, from its first bytes (and for zips, the entry names). */
export function sniffType(b: Uint8Array): string {
  const at = (s: string, o = 0) => ascii(b, o, o + s.length) === s
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg'
  if (isPng(b)) return 'image/png'
  if (isWebp(b)) return 'image/webp'
  if (at('ftyp', 4)) return sniffIsoBmff(b)
  if (at('GIF87a') || at('GIF89a')) return 'image/gif'
  if (at('II*\0') || at('MM\0*')) return 'image/tiff'
  if (at('BM') && b.length >= 26 && at('\0\0\0\0', 6)) return 'image/bmp'
  if (has(b, '%PDF-', 1024)) return 'application/pdf'
  if (at('PK\x03\x04') || at('PK\x05\x06')) return sniffZip(b)
  if (at('\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1')) return 'application/x-ole-storage'
  if (at('{\\rtf')) return 'application/rtf'
  if (at('RIFF') && at('WAVE', 8)) return 'audio/wav'
  if (at('RIFF') && at('AVI ', 8)) return 'video/x-msvideo'
  if (at('\x1a\x45\xdf\xa3')) return 'video/webm'
  if (at('ID3')) return 'audio/mpeg'
  if (at('OggS')) return 'audio/ogg'
  if (at('fLaC')) return 'audio/flac'
  if (at('#!AMR')) return 'audio/amr'
  const markup = markupKind(b)
  if (markup) return markup
  if (b.length > 0 && looksLikeText(b)) return 'text/plain'
  return 'application/octet-stream'
}

const ACTIVE_TAGS =
  /<(?:script|svg|html|iframe|frame|object|embed|body|head|meta|link|style|form|img|video|audio|base|math|template|xsl:)|<\?xml|<!doctype|<!entity|javascript:|vbscript:/

/** The first few KiB as lower-case text, whatever the encoding, NULs dropped (UTF-16 without BOM). */
function headText(b: Uint8Array): string {
  const head = b.subarray(0, 4096)
  let text: string
  if (head[0] === 0xff && head[1] === 0xfe) text = new TextDecoder('utf-16le').decode(head.subarray(2))
  else if (head[0] === 0xfe && head[1] === 0xff) text = new TextDecoder('utf-16be').decode(head.subarray(2))
  else text = String.fromCharCode(...head)
  return text
    .replace(/^(?:\xef\xbb\xbf|\ufeff)/, '')
    .replace(/\0/g, '')
    .toLowerCase()
}

function markupKind(b: Uint8Array): string | null {
  const text = headText(b).trimStart()
  if (!/^<[a-z!?]/.test(text) && !ACTIVE_TAGS.test(text)) return null
  if (/<svg[\s>/]/.test(text)) return 'image/svg+xml'
  if (/^<\?xml/.test(text) && !/<(?:html|script)/.test(text)) return 'application/xml'
  return 'text/html'
}

/**
 * True when a browser could treat the bytes as a page, a drawing or a script: HTML, SVG, XML,
 * or script tags and javascript: URLs in the first 4 KiB, whatever the file claims to be.
 * Such files are offered only as downloads, never rendered inline.
 */
export function isActiveContent(bytes: Uint8Array): boolean {
  return markupKind(bytes) !== null
}

/** A file that says it is a picture but whose bytes are something a browser would not show as one. */
function posesAsPicture(declared: string, detected: string, family: HiddenFamily | null): boolean {
  const d = declared.toLowerCase().split(';')[0].trim()
  return d.startsWith('image/') && d !== detected && !(detected.startsWith('image/') && family !== 'markup')
}

/**
 * Removes location, device and text metadata from JPEG, PNG and WebP without touching the
 * pixels; returns anything else unchanged with what may remain hidden in it. Throws DAMAGED_PICTURE for an
 * image it cannot parse, so the caller refuses it rather than send it with its metadata.
 */
export function stripMetadata(bytes: Uint8Array, declaredType: string): Stripped {
  const detected = sniffType(bytes)
  const strip = STRIPPERS[detected]
  if (strip) {
    try {
      return { ...strip(bytes), kind: 'image', detected }
    } catch (e) {
      throw new Error(DAMAGED_PICTURE, { cause: e })
    }
  }
  const family = detected in FAMILY ? FAMILY[detected] : 'unknown'
  const hidden: Hidden = { ...(family ? { family } : {}), ...(posesAsPicture(declaredType, detected, family) ? { notPicture: true } : {}) }
  return { bytes, kind: 'other', removed: false, detected, ...(hidden.family || hidden.notPicture ? { hidden } : {}) }
}
