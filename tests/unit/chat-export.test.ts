import { describe, it, expect } from 'vitest'
import { zipSync, strToU8, Zip, ZipDeflate } from 'fflate'
import { parseChatExport, readChatZip, CHAT_ZIP_LIMITS } from '../../app/review/chat-export'
import { Refusal, sayWith } from '../../common/i18n/message'
import { i18nService } from '../../server/i18n.server'

const i18n = i18nService()
/** What a reviewer's page says for the refusal `fn` throws, in one language. */
function refusalOf(fn: () => unknown, lang = 'en'): string {
  try {
    fn()
  } catch (err) {
    if (err instanceof Refusal) return sayWith(i18n.translatorFor(lang), err.said)
    throw err
  }
  throw new Error('no refusal')
}

const LRM = '\u200e'
const MiB = 1024 * 1024

const msg = (sender: string | null, time: string, text: string, extra: Record<string, unknown> = {}) => ({
  sender,
  time,
  text,
  attachment: null,
  system: sender === null,
  omitted: false,
  ...extra,
})

describe('parseChatExport', () => {
  it('reads an Android export (day first, 24-hour) with system lines, multi-line messages and media', () => {
    const text = [
      '\ufeff12/03/2024, 21:10 - Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them. Tap to learn more.',
      '12/03/2024, 21:11 - Sgt Carter added PC Jones',
      '12/03/2024, 21:15 - Sgt Carter: Right lads, a joke for the new one',
      'second line of it',
      '',
      'and a third after a blank line',
      '12/03/2024, 21:16 - PC Jones: <Media omitted>',
      '12/03/2024, 21:17 - Sgt Carter: IMG-20240312-WA0001.jpg (file attached)',
      'look at this',
      '12/03/2024, 21:18 - Sgt Carter changed the subject from "Shift A" to "Re: banter"',
      '13/03/2024, 07:02 - PC Jones: time: 07:02, place: canteen',
    ].join('\r\n')
    const { messages, format } = parseChatExport(text)
    expect(format).toBe('whatsapp-android')
    expect(messages).toEqual([
      msg(
        null,
        '12/03/2024, 21:10',
        'Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them. Tap to learn more.',
      ),
      msg(null, '12/03/2024, 21:11', 'Sgt Carter added PC Jones'),
      msg('Sgt Carter', '12/03/2024, 21:15', 'Right lads, a joke for the new one\nsecond line of it\n\nand a third after a blank line'),
      msg('PC Jones', '12/03/2024, 21:16', '<Media omitted>', { omitted: true }),
      msg('Sgt Carter', '12/03/2024, 21:17', 'look at this', { attachment: 'IMG-20240312-WA0001.jpg' }),
      msg(null, '12/03/2024, 21:18', 'Sgt Carter changed the subject from "Shift A" to "Re: banter"'),
      msg('PC Jones', '13/03/2024, 07:02', 'time: 07:02, place: canteen'),
    ])
  })

  it('reads an iOS export (brackets, seconds, U+200E marks, group events, attachments)', () => {
    const text = [
      `[12/03/2024, 21:15:03] Shift Team: ${LRM}Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them.`,
      `[12/03/2024, 21:15:09] Shift Team: ${LRM}Sgt Carter added PC Jones`,
      '[12/03/2024, 21:16:00] Sgt Carter: first line',
      'second line',
      `${LRM}[12/03/2024, 21:17:45] PC Jones: ${LRM}<attached: 00000012-PHOTO-2024-03-12-21-17-45.jpg>`,
      `[12/03/2024, 21:18:01] Sgt Carter: ${LRM}image omitted`,
      `[12/03/2024, 21:19:30] Sgt Carter: ${LRM}This message was deleted.`,
      `[12/03/2024, 21:20:00] PC Jones: report.pdf • 3 pages ${LRM}document omitted`,
      '[12/03/2024, 21:21:00] PC Jones: they said the video omitted',
    ].join('\n')
    const { messages, format } = parseChatExport(text)
    expect(format).toBe('whatsapp-ios')
    expect(messages).toEqual([
      msg(
        null,
        '12/03/2024, 21:15:03',
        'Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them.',
      ),
      msg(null, '12/03/2024, 21:15:09', 'Sgt Carter added PC Jones'),
      msg('Sgt Carter', '12/03/2024, 21:16:00', 'first line\nsecond line'),
      msg('PC Jones', '12/03/2024, 21:17:45', '', { attachment: '00000012-PHOTO-2024-03-12-21-17-45.jpg' }),
      msg('Sgt Carter', '12/03/2024, 21:18:01', 'image omitted', { omitted: true }),
      msg('Sgt Carter', '12/03/2024, 21:19:30', 'This message was deleted.'),
      msg('PC Jones', '12/03/2024, 21:20:00', 'report.pdf • 3 pages document omitted', { omitted: true }),
      msg('PC Jones', '12/03/2024, 21:21:00', 'they said the video omitted'),
    ])
  })

  it('reads US dates with AM/PM, ISO dates, dotted dates and narrow spaces, keeping times as written', () => {
    const cases: Array<[string, string, string]> = [
      ['3/12/24, 9:15 PM - Alex: hi', 'whatsapp-android', '3/12/24, 9:15 PM'],
      ['3/12/24, 9:15\u202fPM - Alex: hi', 'whatsapp-android', '3/12/24, 9:15 PM'],
      ['[3/12/24, 9:15:03 PM] Alex: hi', 'whatsapp-ios', '3/12/24, 9:15:03 PM'],
      ['2024-03-12 21:15 - Alex: hi', 'whatsapp-android', '2024-03-12 21:15'],
      ['12.03.24, 21:15 - Alex: hi', 'whatsapp-android', '12.03.24, 21:15'],
      ['12/03/2024, 9:15 p.m. - Alex: hi', 'whatsapp-android', '12/03/2024, 9:15 p.m.'],
      ['[12.03.24 21:15:03] Alex: hi', 'whatsapp-ios', '12.03.24 21:15:03'],
    ]
    for (const [line, format, time] of cases) {
      const out = parseChatExport(line)
      expect(out.format, line).toBe(format)
      expect(out.messages, line).toEqual([msg('Alex', time, 'hi')])
    }
  })

  it('keeps text before the first message, and gives up cleanly on text that is not an export', () => {
    const out = parseChatExport('exported by someone\n12/03/2024, 21:15 - A: b')
    expect(out.messages[0]).toEqual(msg(null, '', 'exported by someone'))
    expect(out.messages[1]).toEqual(msg('A', '12/03/2024, 21:15', 'b'))
    expect(parseChatExport('Dear Sir,\nI am writing to report…')).toEqual({ messages: [], format: 'unknown' })
    expect(parseChatExport('')).toEqual({ messages: [], format: 'unknown' })
  })

  it('parses a large export quickly', () => {
    const line = (i: number) => `12/03/2024, 21:${String(i % 60).padStart(2, '0')} - Person ${i % 7}: message number ${i} ${'x'.repeat(i % 50)}`
    const text = Array.from({ length: 100_000 }, (_, i) => (i % 10 === 0 ? `${line(i)}\ncontinued` : line(i))).join('\n')
    const started = performance.now()
    const out = parseChatExport(text)
    expect(out.messages.length).toBe(100_000)
    expect(performance.now() - started).toBeLessThan(10_000) // ~0.2 s on a quiet machine
    // a pathological line: no colon, very long
    expect(parseChatExport(`12/03/2024, 21:15 - ${'a'.repeat(2 * MiB)}`).messages[0].system).toBe(true)
  })
})

const chatTxt = '12/03/2024, 21:15 - Sgt Carter: hello\n12/03/2024, 21:16 - PC Jones: IMG-20240312-WA0001.jpg (file attached)\n'

describe('readChatZip', () => {
  it('finds the chat in an Android and an iOS export and lists the media', () => {
    const android = zipSync({
      'WhatsApp Chat with Shift Team.txt': strToU8(chatTxt),
      'IMG-20240312-WA0001.jpg': new Uint8Array([0xff, 0xd8, 0xff, 0xd9]),
      'PTT-20240312-WA0002.opus': new Uint8Array(100),
    })
    const a = readChatZip(android)
    expect(a.chatText).toBe(chatTxt)
    expect(a.attachments.sort()).toEqual(['IMG-20240312-WA0001.jpg', 'PTT-20240312-WA0002.opus'])
    expect(parseChatExport(a.chatText).messages[1].attachment).toBe('IMG-20240312-WA0001.jpg')

    const ios = zipSync(
      { '_chat.txt': strToU8(`\ufeff${chatTxt}`), '00000012-PHOTO-2024-03-12-21-17-45.jpg': new Uint8Array(10), 'notes.txt': strToU8('x') },
      { level: 9 },
    )
    expect(readChatZip(ios)).toEqual({ chatText: chatTxt, attachments: ['00000012-PHOTO-2024-03-12-21-17-45.jpg', 'notes.txt'] })
    const stored = zipSync({ 'Export/_chat.txt': [strToU8(chatTxt), { level: 0 }], 'Export/': new Uint8Array(0) })
    expect(readChatZip(stored)).toEqual({ chatText: chatTxt, attachments: [] })
  })

  it('refuses zips that are not chat exports or are damaged', () => {
    expect(refusalOf(() => readChatZip(zipSync({ 'a.jpg': new Uint8Array(3), 'b.txt': strToU8('x'), 'c.txt': strToU8('y') })))).toBe(
      'This zip does not look like a WhatsApp chat export.',
    )
    expect(refusalOf(() => readChatZip(new Uint8Array(100)))).toBe('This zip does not look like a WhatsApp chat export.')
    const good = zipSync({ '_chat.txt': strToU8(chatTxt.repeat(50)) })
    expect(() => readChatZip(good.subarray(0, good.length - 10))).toThrow()
    const flipped = good.slice()
    flipped[45] ^= 0xff // inside the deflate data
    expect(refusalOf(() => readChatZip(flipped))).toBe('This zip file is damaged.')
  })

  it("says why in the reviewer's language: Welsh on a Welsh page", () => {
    expect(refusalOf(() => readChatZip(new Uint8Array(100)), 'cy')).toBe("Nid yw'r ffeil zip hon yn edrych fel allforiad sgwrs WhatsApp.")
    const many: Record<string, Uint8Array> = { '_chat.txt': strToU8(chatTxt) }
    for (let i = 0; i < 4; i++) many[`f${i}.jpg`] = new Uint8Array(0)
    expect(refusalOf(() => readChatZip(zipSync(many), { maxEntries: 3 }), 'cy')).toBe('Mae mwy na 3 o ffeiliau yn y ffeil zip hon.')
    const zip = zipSync({ '_chat.txt': strToU8(chatTxt), 'video.mp4': new Uint8Array(2 * MiB).fill(7) }, { level: 0 })
    expect(refusalOf(() => readChatZip(zip, { maxTotalBytes: MiB }), 'cy')).toBe("Mae'r ffeil zip hon yn dadbacio i fwy nag y mae Candour yn ei dderbyn.")
  })

  it('refuses too many entries before inflating anything', () => {
    const many: Record<string, Uint8Array> = { '_chat.txt': strToU8(chatTxt) }
    for (let i = 0; i < 2001; i++) many[`f${i}.jpg`] = new Uint8Array(0)
    expect(refusalOf(() => readChatZip(zipSync(many)))).toMatch(/more than 2000 files/)
    expect(readChatZip(zipSync(many), { maxEntries: 3000 }).attachments.length).toBe(2001)
  })

  /** MiB of zeros, deflated as it streams, so the test itself never holds them inflated. */
  const bombs = new Map<number, Uint8Array>()
  function zerosBomb(name: string, mib: number): Uint8Array {
    const made = bombs.get(mib)
    if (made) return made
    const parts: Uint8Array[] = []
    const zip = new Zip((err, chunk) => {
      if (err) throw err
      parts.push(chunk)
    })
    const file = new ZipDeflate(name, { level: 9 })
    zip.add(file)
    const zeros = new Uint8Array(MiB)
    for (let i = 0; i < mib; i++) file.push(zeros, i === mib - 1)
    zip.end()
    bombs.set(mib, new Uint8Array(Buffer.concat(parts)))
    return zerosBomb(name, mib)
  }

  /** Rewrites the declared uncompressed size in the central directory (and the data descriptor). */
  function lieAboutSize(zip: Uint8Array, size: number): Uint8Array {
    const b = Buffer.from(zip)
    const cd = b.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]))
    b.writeUInt32LE(size, cd + 24)
    const dd = b.lastIndexOf(Buffer.from([0x50, 0x4b, 0x07, 0x08]), cd)
    if (dd >= 0) b.writeUInt32LE(size, dd + 12)
    return new Uint8Array(b)
  }

  it('refuses a 200 MiB zip bomb from its headers, at once', { timeout: 120_000 }, () => {
    const bomb = zerosBomb('_chat.txt', 200)
    expect(bomb.length).toBeLessThan(MiB)
    const started = performance.now()
    expect(refusalOf(() => readChatZip(bomb))).toMatch(/suspiciously tightly|more than/)
    expect(refusalOf(() => readChatZip(bomb, { maxRatio: 10_000 }))).toMatch(/larger than 20 MiB/)
    expect(performance.now() - started).toBeLessThan(1000) // nothing was inflated
  })

  it('refuses a bomb whose headers lie, counting what inflates and stopping early', { timeout: 120_000 }, () => {
    const bomb = zerosBomb('_chat.txt', 200)
    for (const declared of [1000, 19 * MiB]) {
      const liar = lieAboutSize(bomb, declared)
      const started = performance.now()
      const heapBefore = process.memoryUsage().arrayBuffers
      expect(refusalOf(() => readChatZip(liar, { maxRatio: 10_000 }))).toMatch(/larger than 20 MiB or its zip headers are wrong/)
      expect(performance.now() - started).toBeLessThan(3000)
      // stopped near the declared size, not after inflating 200 MiB
      expect(process.memoryUsage().arrayBuffers - heapBefore).toBeLessThan(64 * MiB)
    }
    // an honest 30 MiB chat is refused by its size alone, and by the running count if limits allow the header
    const big = zerosBomb('_chat.txt', 30)
    expect(refusalOf(() => readChatZip(big, { maxRatio: 10_000 }))).toMatch(/larger than 20 MiB/)
    expect(refusalOf(() => readChatZip(lieAboutSize(big, 10 * MiB), { maxRatio: 10_000 }))).toMatch(/zip headers are wrong/)
  })

  it('refuses a zip whose declared total is too large', () => {
    const zip = zipSync({ '_chat.txt': strToU8(chatTxt), 'video.mp4': new Uint8Array(2 * MiB).fill(7) }, { level: 0 })
    expect(refusalOf(() => readChatZip(zip, { maxTotalBytes: MiB }))).toMatch(/unpacks to more than/)
    expect(readChatZip(zip).chatText).toBe(chatTxt)
    expect(CHAT_ZIP_LIMITS).toEqual({ maxEntries: 2000, maxTotalBytes: 1024 * MiB, maxChatBytes: 20 * MiB, maxRatio: 100 })
  })
})
