import { Inflate } from 'fflate'
import { Refusal, t } from '#common/i18n/message'

/**
 * WhatsApp chat exports (ADR 0014): the .txt a phone writes, and the .zip that carries it with
 * the media. Pure and isomorphic, so the reviewer's browser and the tests run the same code.
 * Times are kept exactly as written: 03/04 is the 3rd of April or the 4th of March depending on
 * the phone's locale, and only the officer can say which.
 */
export type ChatMessage = {
  /** null for system lines ("Alice added Bob", the encryption notice) */
  sender: string | null
  /** date and time as written in the export, e.g. "12/03/2024, 21:15" */
  time: string
  text: string
  /** file name of media included in the export */
  attachment: string | null
  system: boolean
  /** the export left this message's media out ("<Media omitted>", "image omitted") */
  omitted: boolean
}

export type ChatExport = {
  messages: ChatMessage[]
  /** 'whatsapp-android', 'whatsapp-ios', or 'unknown' (no line looked like a message: show the text as it is) */
  format: string
}

// Invisible marks the exports sprinkle in (U+200E before media and system lines on iOS).
const MARKS = /[\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g
const DATE = String.raw`\d{1,4}[./-]\d{1,2}[./-]\d{1,4}`
const TIME = String.raw`\d{1,2}[:.]\d{2}(?:[:.]\d{2})?(?: ?[AaPp]\.? ?[Mm]\.?)?`
const ANDROID = new RegExp(String.raw`^(${DATE},? ${TIME}) [-\u2013] (.*)$`, 's')
const IOS = new RegExp(String.raw`^\[(${DATE},? ${TIME})\] (.*)$`, 's')
const SENDER = /^([^:\n]{1,100}?): (.*)$/s
const FILE_ATTACHED = /^(.+?\.[A-Za-z0-9]{1,8}) \(file attached\)$/
const IOS_ATTACHED = /^<attached: ([^>]+)>$/
const FROM_SENDER = /^(?:This message was deleted|You deleted this message|Missed (?:voice|video|group voice|group video) call)/
const OMITTED = /^<Media omitted>$/
// iOS marks its own "image omitted" with U+200E, which tells it apart from someone typing it.
const IOS_OMITTED = /\u200e(?:image|video|audio|sticker|GIF|document|Contact card) omitted\s*$/

export function parseChatExport(text: string): ChatExport {
  const messages: ChatMessage[] = []
  const seen = { android: 0, ios: 0 }
  let current: ChatMessage | null = null
  for (const raw of text.replace(/^\ufeff/, '').split(/\r\n|\n|\r/)) {
    // U+202F/U+00A0 sit before AM/PM in newer exports; swapping them keeps every index in place.
    const plain = raw.replace(MARKS, '')
    const line = plain.replace(/[\u202f\u00a0]/g, ' ')
    const ios = IOS.exec(line)
    const android = ios ? null : ANDROID.exec(line)
    const head = ios ?? android
    if (!head) {
      if (current) current.text = current.text ? `${current.text}\n${plain}` : plain
      else if (plain.trim()) current = pushed(messages, { sender: null, time: '', text: plain, attachment: null, system: true, omitted: false })
      continue
    }
    seen[ios ? 'ios' : 'android']++
    const rest = plain.slice(line.length - head[2].length)
    current = pushed(messages, message(head[1], rest, raw))
  }
  const format = seen.ios + seen.android === 0 ? 'unknown' : seen.ios > seen.android ? 'whatsapp-ios' : 'whatsapp-android'
  return { messages: format === 'unknown' ? [] : messages, format }
}

function pushed(list: ChatMessage[], m: ChatMessage): ChatMessage {
  list.push(m)
  return m
}

function message(time: string, rest: string, raw: string): ChatMessage {
  const s = SENDER.exec(rest)
  // A quote before the colon means a system line quoting a subject: 'Alice changed the subject to "Re: …"'.
  if (!s || /["\u201c]/.test(s[1])) return { sender: null, time, text: rest, attachment: null, system: true, omitted: false }
  const [, sender, body] = s
  const media = FILE_ATTACHED.exec(body) ?? IOS_ATTACHED.exec(body)
  if (media) return { sender, time, text: '', attachment: media[1].trim(), system: false, omitted: false }
  if (OMITTED.test(body) || IOS_OMITTED.test(raw)) return { sender, time, text: body, attachment: null, system: false, omitted: true }
  // iOS attributes group events to the group's name and marks the text with U+200E.
  if (raw.includes(`${sender}: \u200e`) && !FROM_SENDER.test(body)) return { sender: null, time, text: body, attachment: null, system: true, omitted: false }
  return { sender, time, text: body, attachment: null, system: false, omitted: false }
}

export type ChatZipLimits = {
  /** entries in the central directory */
  maxEntries: number
  /** sum of every entry's declared uncompressed size */
  maxTotalBytes: number
  /** bytes the chat text may inflate to, counted while inflating */
  maxChatBytes: number
  /** uncompressed ÷ compressed, for entries over 1 MiB */
  maxRatio: number
}

export const CHAT_ZIP_LIMITS: ChatZipLimits = {
  maxEntries: 2000,
  maxTotalBytes: 1024 * 1024 * 1024,
  maxChatBytes: 20 * 1024 * 1024,
  maxRatio: 100,
}

// Refusals are messages, so the reviewer's page says them in its own language.
export const NOT_A_CHAT_ZIP = t('triage.chat.zip.notChat')
const DAMAGED_ZIP = t('triage.chat.zip.damaged')
// Small input slices keep each inflate call's output under ~1 MiB (deflate expands at most 1032×).
const INFLATE_SLICE = 1024
const RATIO_FLOOR = 1024 * 1024

type Entry = { name: string; method: number; flags: number; packed: number; size: number; local: number }

const u16 = (b: Uint8Array, o: number) => b[o] | (b[o + 1] << 8)
const u32 = (b: Uint8Array, o: number) => (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0

function centralDirectory(b: Uint8Array, limits: ChatZipLimits): Entry[] {
  let eocd = -1
  for (let i = b.length - 22; i >= Math.max(0, b.length - 22 - 0xffff); i--)
    if (u32(b, i) === 0x06054b50) {
      eocd = i
      break
    }
  if (eocd < 0) throw new Refusal(NOT_A_CHAT_ZIP)
  const count = u16(b, eocd + 10)
  const size = u32(b, eocd + 12)
  let at = u32(b, eocd + 16)
  if (count === 0xffff || at === 0xffffffff) throw new Refusal(t('triage.chat.zip.tooLargeToOpen'))
  if (count > limits.maxEntries) throw new Refusal(t('triage.chat.zip.tooManyFiles', { max: limits.maxEntries }))
  if (at + size > eocd) throw new Refusal(DAMAGED_ZIP)
  const entries: Entry[] = []
  let total = 0
  for (let k = 0; k < count; k++) {
    if (at + 46 > eocd || u32(b, at) !== 0x02014b50) throw new Refusal(DAMAGED_ZIP)
    const nameLen = u16(b, at + 28)
    const next = at + 46 + nameLen + u16(b, at + 30) + u16(b, at + 32)
    if (next > eocd) throw new Refusal(DAMAGED_ZIP)
    const e: Entry = {
      name: new TextDecoder().decode(b.subarray(at + 46, at + 46 + nameLen)),
      flags: u16(b, at + 8),
      method: u16(b, at + 10),
      packed: u32(b, at + 20),
      size: u32(b, at + 24),
      local: u32(b, at + 42),
    }
    total += e.size
    if (total > limits.maxTotalBytes) throw new Refusal(t('triage.chat.zip.unpacksTooLarge'))
    if (e.size > RATIO_FLOOR && e.size / Math.max(1, e.packed) > limits.maxRatio) throw new Refusal(t('triage.chat.zip.tooTight'))
    entries.push(e)
    at = next
  }
  return entries
}

const baseName = (name: string) => name.split(/[/\\]/).pop() ?? ''
const isChatName = (name: string) => /^(?:_chat|WhatsApp Chat\b.*)\.txt$/i.test(baseName(name))

/** Inflates one entry, counting bytes as they come out; never trusts the declared size. */
function inflateEntry(b: Uint8Array, e: Entry, cap: number): Uint8Array {
  if (e.flags & 1) throw new Refusal(t('triage.chat.zip.password'))
  if (e.local + 30 > b.length || u32(b, e.local) !== 0x04034b50) throw new Refusal(DAMAGED_ZIP)
  const start = e.local + 30 + u16(b, e.local + 26) + u16(b, e.local + 28)
  if (start + e.packed > b.length) throw new Refusal(DAMAGED_ZIP)
  const data = b.subarray(start, start + e.packed)
  const tooBig = () => new Refusal(t('triage.chat.zip.chatTooLarge', { mib: Math.floor(cap / 1024 / 1024) }))
  if (e.size > cap) throw tooBig()
  if (e.method === 0) {
    if (data.length > cap) throw tooBig()
    if (data.length !== e.size) throw new Refusal(DAMAGED_ZIP)
    return data.slice()
  }
  if (e.method !== 8) throw new Refusal(NOT_A_CHAT_ZIP)
  const parts: Uint8Array[] = []
  let total = 0
  let over = false
  let ended = false
  const inflate = new Inflate((chunk, final) => {
    total += chunk.length
    if (total > e.size) over = true
    else parts.push(chunk)
    if (final) ended = true
  })
  try {
    for (let i = 0; i < data.length && !over; i += INFLATE_SLICE) inflate.push(data.subarray(i, i + INFLATE_SLICE), i + INFLATE_SLICE >= data.length)
    if (data.length === 0) inflate.push(new Uint8Array(0), true)
  } catch {
    throw new Refusal(DAMAGED_ZIP)
  }
  if (over) throw tooBig()
  if (!ended || total !== e.size) throw new Refusal(DAMAGED_ZIP)
  const out = new Uint8Array(total)
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

/**
 * Finds the chat text in a WhatsApp export zip and lists the media beside it. Bounded against
 * zip bombs: entry count and declared sizes are checked before anything is inflated, and the
 * chat's real inflated size is counted as it streams out of fflate. Media are never inflated.
 */
export function readChatZip(bytes: Uint8Array, limits: Partial<ChatZipLimits> = {}): { chatText: string; attachments: string[] } {
  const l = { ...CHAT_ZIP_LIMITS, ...limits }
  const files = centralDirectory(bytes, l).filter((e) => !e.name.endsWith('/') && !e.name.startsWith('__MACOSX/'))
  const texts = files.filter((e) => /\.txt$/i.test(e.name))
  const chat = texts.find((e) => isChatName(e.name)) ?? (texts.length === 1 ? texts[0] : undefined)
  if (!chat) throw new Refusal(NOT_A_CHAT_ZIP)
  const text = new TextDecoder().decode(inflateEntry(bytes, chat, l.maxChatBytes))
  return {
    chatText: text.replace(/^\ufeff/, ''),
    attachments: files.filter((e) => e !== chat).map((e) => baseName(e.name)),
  }
}
