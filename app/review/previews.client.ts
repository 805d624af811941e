import type { FileRef } from '#crypto'
import { said, type Message } from '#common/i18n/message'
import type { ChatExport } from './chat-export'
import { loadMetadata } from '~/ui/metadata.client'

/**
 * What the reviewer's page does with an attachment (ADR 0015). The sealed type and name are only
 * what the reporter's browser said, so they decide what to OFFER; what is SHOWN is decided from
 * the decrypted bytes themselves.
 */

/** Pictures and text at most this big open with the page; anything larger waits for a click. */
export const AUTO_PREVIEW_BYTES = 4 * 1024 * 1024
/** Plain text beyond this many characters is cut in the page (the download has it all). */
const TEXT_CHARS = 500_000

// Formats Chromium, Firefox and Safari all draw from a blob: URL without plug-ins.
const RASTER = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'image/bmp', 'image/avif'])

/** Why a file is not shown, as an id the page words; `detail` is what a zip's reader said, for the page to say. */
export type Why = { id: 'pdf' | 'picture' | 'active' | 'other' | 'notPicture' | 'notChat' | 'badZip'; detail?: Message | string }

export type Plan = { at: 'auto' | 'show' } | { at: 'download'; why: Why }

export function planFor(ref: FileRef): Plan {
  const t = ref.type.toLowerCase()
  const name = ref.name.toLowerCase()
  const small = ref.size <= AUTO_PREVIEW_BYTES
  if (RASTER.has(t) || t === 'text/plain' || name.endsWith('.txt')) return { at: small ? 'auto' : 'show' }
  if (t.startsWith('audio/') || t.startsWith('video/') || t === 'application/zip' || name.endsWith('.zip')) return { at: 'show' }
  return { at: 'download', why: whyNot(t) }
}

function whyNot(type: string): Why {
  if (type === 'application/pdf') return { id: 'pdf' }
  if (type.startsWith('image/')) return { id: 'picture' }
  if (type === 'text/html' || type === 'image/svg+xml' || type.endsWith('xml')) return { id: 'active' }
  return { id: 'other' }
}

export type Preview =
  | { kind: 'image' | 'audio' | 'video'; type: string }
  | { kind: 'text'; text: string; cut: boolean }
  | { kind: 'chat'; chat: ChatExport; media: string[] }
  /** bytes a browser could run (HTML, SVG, script): never drawn, whatever they claim to be */
  | { kind: 'active'; claimedPicture: boolean }
  | { kind: 'none'; why: Why }

function decodeText(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2))
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2))
  return new TextDecoder('utf-8').decode(bytes).replace(/^\ufeff/, '')
}

/** Decides from the opened bytes how (and whether) the page may show them. */
export async function previewOf(bytes: Uint8Array, ref: FileRef): Promise<Preview> {
  const m = await loadMetadata()
  const sniffed = m.sniffType(bytes)
  const claimedPicture = ref.type.startsWith('image/') || /\.(jpe?g|png|webp|gif|heic|bmp|avif)$/i.test(ref.name)
  if (sniffed === 'application/zip') return chatFromZip(bytes)
  if (sniffed === 'text/plain' || (m.isActiveContent(bytes) && !claimedPicture)) {
    const text = decodeText(bytes)
    const { parseChatExport } = await import('./chat-export')
    const chat = parseChatExport(text)
    // A chat is drawn as React text, so words that merely look like markup ("<img …") are harmless.
    if (chat.format !== 'unknown' && chat.messages.length > 0) return { kind: 'chat', chat, media: [] }
    if (m.isActiveContent(bytes)) return { kind: 'active', claimedPicture }
    return { kind: 'text', text: text.slice(0, TEXT_CHARS), cut: text.length > TEXT_CHARS }
  }
  if (m.isActiveContent(bytes)) return { kind: 'active', claimedPicture }
  if (RASTER.has(sniffed)) return { kind: 'image', type: sniffed }
  if (sniffed.startsWith('audio/')) return { kind: 'audio', type: sniffed }
  if (sniffed.startsWith('video/')) return { kind: 'video', type: sniffed }
  if (claimedPicture && !sniffed.startsWith('image/')) return { kind: 'none', why: { id: 'notPicture' } }
  return { kind: 'none', why: whyNot(sniffed) }
}

async function chatFromZip(bytes: Uint8Array): Promise<Preview> {
  const { parseChatExport, readChatZip } = await import('./chat-export')
  try {
    const { chatText, attachments } = readChatZip(bytes)
    const chat = parseChatExport(chatText)
    if (chat.format === 'unknown' || chat.messages.length === 0) return { kind: 'none', why: { id: 'notChat' } }
    return { kind: 'chat', chat, media: attachments }
  } catch (err) {
    return { kind: 'none', why: { id: 'badZip', detail: said(err) } }
  }
}
