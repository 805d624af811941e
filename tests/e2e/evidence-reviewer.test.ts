import fs from 'node:fs'
import path from 'node:path'
import { strToU8, zipSync } from 'fflate'
import jpeg from 'jpeg-js'
import type { Browser, Locator, Page } from 'playwright-core'
import { PNG } from 'pngjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  deriveReporterKeys,
  fromB64,
  newReceipt,
  openFile,
  openThreadAsReporter,
  ready,
  sealFollowup,
  sealReport,
  toB64,
  type FileRef,
} from '../../crypto/index'
import { stripMetadata } from '#common/metadata/index'
import { sealFile } from '../../crypto/files'
import { parseChatExport } from '../../app/review/chat-export'
import { sizeMessage } from '../../common/i18n/message'
import { DESKTOP, launchChromium } from '../support/browser'
import { json, reporterToken } from '../support/http'
import { sqlAll } from '../support/review-api'
import { sayIn } from '../support/words'
import { startServer, tempDataDir, type RunningServer } from '../support/server'
import { journey } from './helpers'
import { setUpFirstReviewer, virtualAuthenticator } from './reviewer-helpers'

const PIECE = 16 * (64 * 1024 + 17)
const SHOTS = 'tests/.artifacts/screens'

function picture(width: number, height: number): Uint8Array {
  const png = new PNG({ width, height })
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4
      // A pale "screenshot" with message-like bars, so a preview is visibly a picture.
      const bar = y % 40 > 8 && y % 40 < 30 && x > 20 && x < (y % 80 < 40 ? 260 : 340)
      png.data.set(bar ? (y % 80 < 40 ? [220, 248, 198, 255] : [255, 255, 255, 255]) : [230, 221, 212, 255], i)
    }
  return new Uint8Array(PNG.sync.write(png))
}

function photo(width: number, height: number): Uint8Array {
  const data = Buffer.alloc(width * height * 4)
  for (let i = 0; i < width * height; i++) data.set([(i % width) % 256, 90, (i / width) % 256, 255], i * 4)
  return new Uint8Array(jpeg.encode({ data, width, height }, 80).data)
}

const ANDROID_CHAT = [
  '12/03/2024, 21:10 - Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them. Tap to learn more.',
  '12/03/2024, 21:11 - Sgt Carter added PC Jones',
  '12/03/2024, 21:15 - Sgt Carter: Right lads, a joke for the new one',
  'second line of it',
  '12/03/2024, 21:16 - PC Jones: <Media omitted>',
  '12/03/2024, 21:17 - PC Okafor: Not funny. Leave her alone',
  '12/03/2024, 21:18 - Sgt Carter: it is only banter, relax',
  '13/03/2024, 07:02 - PC Jones: banter or not, see you at 7',
].join('\r\n')

/** An iPhone export of a busy group: 12,000 messages, one of them the needle. */
function bigIosChat(): string {
  const lines = ['[01/02/2024, 08:00:00] Shift B: \u200eMessages and calls are end-to-end encrypted.']
  for (let i = 1; i <= 12_000; i++) {
    const who = ['PC Adams', 'Sgt Blake', 'PC Chen'][i % 3]
    const text = i === 7777 ? 'NEEDLE the canteen comment again' : i === 50 ? 'first line\ncontinued on a second line' : `routine message ${i}`
    lines.push(
      `[01/02/2024, ${String(8 + Math.floor(i / 3600)).padStart(2, '0')}:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}] ${who}: ${text}`,
    )
  }
  lines.push('[02/02/2024, 09:00:00] PC Chen: \u200eimage omitted')
  return lines.join('\n')
}

/** The evidence in a cross-browser-safe form: what the reporter's phone would have sealed. */
describe('reviewer evidence files in Chromium (desktop)', () => {
  let server: RunningServer
  let browser: Browser
  let page: Page
  let reportId = ''
  let receipt = ''
  const plain: Record<string, Uint8Array> = {}
  const refs: Record<string, FileRef> = {}
  journey()

  const sql = <T>(q: string, p: unknown[] = []) => sqlAll<T>(server.dbFile, q, p)
  const item = (name: string): Locator => page.locator(`li.attachment[data-file="${name}"]`)
  /** An element's screenshot without the sticky top bar lying over it. */
  async function shot(target: Locator, name: string) {
    const bar = page.locator('.topbar')
    await bar.evaluate((el) => (el.style.position = 'static'))
    await target.screenshot({ path: `${SHOTS}/${name}` })
    await bar.evaluate((el) => (el.style.position = ''))
  }

  /** Seals a file in Node and uploads its ciphertext through the real API, in pieces. */
  async function upload(bytes: Uint8Array, name: string, type: string) {
    const { key, ciphertext } = sealFile(bytes)
    const start = await json(`${server.url}/api/files`, { body: { paddedSize: ciphertext.length } })
    expect(start.status, JSON.stringify(start.body)).toBe(201)
    const { id, token } = start.body as { id: string; token: string }
    for (let at = 0; at < ciphertext.length; at += PIECE) {
      const res = await fetch(`${server.url}/api/files/${id}?offset=${at}`, {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream', authorization: `Bearer ${token}` },
        body: ciphertext.subarray(at, at + PIECE) as Uint8Array<ArrayBuffer>,
      })
      expect(res.status, await res.clone().text()).toBe(200)
    }
    plain[name] = bytes
    refs[name] = { id, name, type, size: bytes.length, key: toB64(key) }
    return { id, token }
  }

  beforeAll(async () => {
    ;[server, browser] = await Promise.all([startServer({ dataDir: tempDataDir('candour-e2e-evidence-') }), launchChromium()])
    const context = await browser.newContext({ viewport: DESKTOP, acceptDownloads: true })
    context.setDefaultTimeout(20_000)
    page = await context.newPage()
    await virtualAuthenticator(context, page, true)
    await setUpFirstReviewer(page, server, { name: 'Dana Reviewer', inbox: 'Professional Standards' })

    await ready()
    const png = stripMetadata(picture(360, 240), 'image/png')
    const attachments = [
      await upload(png.bytes, 'screenshot.png', png.detected),
      await upload(strToU8(ANDROID_CHAT), 'WhatsApp Chat with Shift A.txt', 'text/plain'),
      await upload(
        zipSync({ '_chat.txt': strToU8(bigIosChat()), '00000012-PHOTO-2024-02-01-08-00-12.jpg': photo(32, 32) }),
        'WhatsApp Chat - Shift B.zip',
        'application/zip',
      ),
      // A reporter's browser can claim anything: these say "picture" and hold script.
      await upload(
        strToU8('<svg xmlns="http://www.w3.org/2000/svg" onload="window.__svgRan=1"><script>window.__svgRan=2</script><rect width="10" height="10"/></svg>'),
        'evidence.png',
        'image/png',
      ),
      await upload(
        strToU8('<!doctype html><html><body><script>window.__htmlRan=1</script><img src="x" onerror="window.__htmlRan=2"></body></html>'),
        'photo.jpg',
        'image/jpeg',
      ),
      await upload(picture(120, 80), 'damaged.png', 'image/png'),
      await upload(strToU8('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n'), 'statement.pdf', 'application/pdf'),
    ]
    const [key] = await sql<{ inbox_id: string; key_version: number; box_pk: string; signature: string; sign_pk: string }>(
      'SELECT k.inbox_id, k.key_version, k.box_pk, k.signature, i.sign_pk FROM inbox_keys k JOIN inboxes i ON i.id = k.inbox_id',
    )
    const target = { inboxId: key.inbox_id, keyVersion: key.key_version, boxPk: key.box_pk, signPk: key.sign_pk, signature: key.signature }
    receipt = newReceipt()
    const answers = {
      categories: ['sexism'],
      whatHappened: 'The shift group chat, screenshots and the export attached',
      when: 'March',
      where: '',
      who: '',
      role: 'witness',
      contact: '',
    }
    const names = [
      'screenshot.png',
      'WhatsApp Chat with Shift A.txt',
      'WhatsApp Chat - Shift B.zip',
      'evidence.png',
      'photo.jpg',
      'damaged.png',
      'statement.pdf',
    ]
    const res = await json(`${server.url}/api/reports`, {
      body: {
        ...sealReport(
          answers,
          receipt,
          target,
          names.map((n) => refs[n]),
        ),
        files: attachments,
      },
    })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    reportId = (await sql<{ id: string }>('SELECT id FROM reports'))[0].id

    // A follow-up from the reporter with a photo, through the reporter's own API.
    const later = await upload(photo(200, 150), 'locker.jpg', 'image/jpeg')
    const token = await reporterToken(server.url, receipt)
    const envelope = sealFollowup('Also a photo of the locker', deriveReporterKeys(receipt), key.box_pk, [refs['locker.jpg']], null)
    const f = await json(`${server.url}/api/reporter/messages`, { token, body: { keyVersion: key.key_version, envelope, files: [later] } })
    expect(f.status, JSON.stringify(f.body)).toBe(201)

    // Damage one stored blob after the fact: one flipped bit anywhere must refuse the whole file.
    const file = path.join(server.dataDir, 'blobs', refs['damaged.png'].id)
    const stored = fs.readFileSync(file)
    stored[200] ^= 0x01
    fs.writeFileSync(file, stored)
    fs.mkdirSync(SHOTS, { recursive: true })
  })
  afterAll(async () => {
    await browser?.close()
    await server?.stop()
    if (server) fs.rmSync(server.dataDir, { recursive: true, force: true })
  })

  it('the report lists every file by name and size; the screenshot previews from a blob: URL', async () => {
    // Keys live in page memory, so the report is reached by links, never by a reload.
    await page.getByRole('link', { name: 'All your reports' }).click()
    await page.locator('[data-inbox-ready]').waitFor()
    await page.locator('[data-report]').first().getByRole('link').click()
    await page.getByRole('heading', { name: 'Who opened this' }).waitFor()
    for (const name of Object.keys(plain)) expect(await item(name).locator('.attachment__head').innerText()).toContain(`${name} · `)
    for (const [name, bytes] of Object.entries(plain))
      expect(await item(name).locator('.attachment__head').innerText()).toContain(sayIn('en', sizeMessage(bytes.length)))
    const img = item('screenshot.png').locator('img')
    await img.waitFor()
    expect(await img.getAttribute('src')).toMatch(/^blob:/)
    await page.waitForFunction((el) => (el as HTMLImageElement).complete && (el as HTMLImageElement).naturalWidth > 0, await img.elementHandle())
    expect(await img.evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBe(360)
    // The follow-up's photo shows in its bubble in the thread.
    const locker = page.locator('.bubble--reporter').locator('li.attachment[data-file="locker.jpg"] img')
    await locker.waitFor()
    expect(await locker.getAttribute('src')).toMatch(/^blob:/)
    // Nothing big or unshowable was fetched: the zip waits for a click, the PDF offers only a download.
    expect(await item('WhatsApp Chat - Shift B.zip').getAttribute('data-state')).toBe('idle')
    expect(await item('statement.pdf').innerText()).toMatch(/does not open PDFs[\s\S]*your own software, at your own risk/)
    expect(await item('statement.pdf').getByRole('button', { name: /^Show/ }).count()).toBe(0)
    await page.screenshot({ path: `${SHOTS}/desktop-evidence-report.png`, fullPage: true })
  })

  it('a picture that is really SVG or HTML with script is never rendered, only offered as a download', async () => {
    for (const name of ['evidence.png', 'photo.jpg']) {
      const refused = item(name).locator('[data-refused]')
      await refused.waitFor()
      expect(await refused.innerText()).toContain('This file is not a picture; it can only be downloaded.')
      expect(await item(name).locator('img, iframe, object, embed, svg, video, audio').count()).toBe(0)
      expect(
        await item(name)
          .getByRole('button', { name: /Download original/ })
          .count(),
      ).toBe(1)
      expect(await item(name).getByRole('button', { name: /^Show/ }).count()).toBe(0)
    }
    expect(await page.locator('iframe, object, embed').count()).toBe(0)
    // Every picture on the page is one of the two real ones.
    const shown = await page.locator('li.attachment img').evaluateAll((els) => els.map((e) => e.closest('li')!.getAttribute('data-file')))
    expect(shown.sort()).toEqual(['locker.jpg', 'screenshot.png'])
    expect(await page.evaluate(() => [(window as any).__svgRan, (window as any).__htmlRan])).toEqual([undefined, undefined])
    await item('evidence.png').scrollIntoViewIfNeeded()
    await shot(item('evidence.png'), 'desktop-evidence-refused.png')
    // Downloading it hands over the exact bytes as a file, and still runs nothing here.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      item('evidence.png')
        .getByRole('button', { name: /Download original/ })
        .click(),
    ])
    expect(download.suggestedFilename()).toBe('evidence.png')
    expect(new Uint8Array(fs.readFileSync((await download.path())!))).toEqual(plain['evidence.png'])
    expect(await page.evaluate(() => [(window as any).__svgRan, (window as any).__htmlRan])).toEqual([undefined, undefined])
  })

  it('a damaged file says so and shows nothing of itself', async () => {
    const damaged = item('damaged.png')
    await damaged.locator('.attachment__problem').waitFor()
    expect(await damaged.locator('.attachment__problem').innerText()).toContain('This file is damaged or incomplete')
    expect(await damaged.locator('img').count()).toBe(0)
    expect(await damaged.getByRole('button').count()).toBe(0)
  })

  it('"Download original" saves the exact bytes under the file\'s own name', async () => {
    for (const name of ['statement.pdf', 'screenshot.png']) {
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        item(name)
          .getByRole('button', { name: /Download original/ })
          .click(),
      ])
      expect(download.suggestedFilename()).toBe(name)
      expect(new Uint8Array(fs.readFileSync((await download.path())!))).toEqual(plain[name])
    }
  })

  it('a chat export opens as bubbles with senders, times, notices and omitted media', async () => {
    const chat = item('WhatsApp Chat with Shift A.txt')
    const bubbles = chat.locator('[data-chat-msg]')
    await bubbles.first().waitFor()
    const expected = parseChatExport(ANDROID_CHAT).messages
    expect(await bubbles.count()).toBe(expected.length)
    expect(await chat.locator('.chat-msg--system').count()).toBe(2)
    const third = await bubbles.nth(2).innerText()
    expect(third).toContain('Sgt Carter')
    expect(third).toContain('12/03/2024, 21:15')
    expect(third).toContain('Right lads, a joke for the new one\nsecond line of it')
    expect(await bubbles.nth(3).innerText()).toMatch(/PC Jones[\s\S]*Media omitted/)
  })

  it('searching filters the bubbles and counts the highlights', async () => {
    const chat = item('WhatsApp Chat with Shift A.txt')
    await chat.getByLabel('Search this chat').fill('banter')
    await chat.locator('[data-chat-count="2"]').waitFor()
    expect(await chat.locator('.chat__count').innerText()).toBe('2 of 7 messages match, 2 places highlighted')
    expect(await chat.locator('[data-chat-msg]').count()).toBe(2)
    expect(await chat.locator('mark').allInnerTexts()).toEqual(['banter', 'banter'])
    await shot(chat, 'desktop-evidence-chat-search.png')
  })

  it('citing a message puts the quote into the internal note, focused, and the note saves', async () => {
    const chat = item('WhatsApp Chat with Shift A.txt')
    await chat
      .locator('[data-chat-msg]')
      .filter({ hasText: 'only banter' })
      .getByRole('button', { name: /Cite in a note/ })
      .click()
    const note = page.getByLabel('Internal note')
    expect(await note.inputValue()).toBe('> [12/03/2024, 21:18] Sgt Carter: it is only banter, relax\n(from WhatsApp Chat with Shift A.txt)\n')
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('note')
    await note.press('End')
    await note.type('Sergeant dismisses the complaint.')
    await page.getByRole('button', { name: 'Add note' }).click()
    await page.getByText('Internal note saved.').waitFor()
    expect(await page.locator('.bubble--note').last().innerText()).toContain('> [12/03/2024, 21:18] Sgt Carter: it is only banter, relax')
    await chat.getByLabel('Search this chat').fill('')
  })

  it('a zipped export of 12,000 messages opens on request, a page at a time, and searches quickly', async () => {
    const zip = item('WhatsApp Chat - Shift B.zip')
    await zip.getByRole('button', { name: /^Show/ }).click()
    const bubbles = zip.locator('[data-chat-msg]')
    await bubbles.first().waitFor()
    expect(await zip.innerText()).toContain('12,001 messages from 3 people, 1 chat notice.')
    expect(await bubbles.count()).toBe(100)
    expect(await zip.locator('.chat__pager').first().innerText()).toContain('Messages 1–100 of 12,002')
    await shot(zip, 'desktop-evidence-chat-zip.png')
    const started = Date.now()
    await zip.getByLabel('Search this chat').fill('needle')
    await zip.locator('[data-chat-count="1"]').waitFor()
    const took = Date.now() - started
    expect(took).toBeLessThan(2000)
    expect(await bubbles.count()).toBe(1)
    expect(await bubbles.first().innerText()).toContain('NEEDLE the canteen comment again')
    // Back to where the hit sits in the whole chat.
    await bubbles.first().getByRole('button', { name: 'Show in the whole chat' }).click()
    await zip.locator('.chat-msg--focus').waitFor()
    expect(await zip.locator('.chat__pager').first().innerText()).toContain('Messages 7,701–7,800 of 12,002')
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-index'))).toBe('7777')
    await zip.getByLabel('Search this chat').fill('omitted')
    await zip.locator('[data-chat-count="1"]').waitFor()
    expect(await bubbles.first().innerText()).toMatch(/PC Chen[\s\S]*Media omitted/)
    console.log(`12,002-message chat: search answered in ${took} ms`)
  })

  it('a reply carries a file, encrypted in this browser, that the reporter can open', async () => {
    const guidance = picture(96, 64)
    await page.locator('#reply-files').setInputFiles({ name: 'guidance.png', mimeType: 'image/png', buffer: Buffer.from(guidance) })
    await page.locator('.file-row[data-file="guidance.png"][data-state="done"]').waitFor()
    await page.getByLabel('Reply to the reporter').fill('Thank you. The guidance we mentioned is attached.')
    await shot(page.locator('form.reply-form').first(), 'desktop-evidence-reply-file.png')
    await page.getByRole('button', { name: 'Send reply' }).click()
    await page.getByText('Reply sealed in this browser and sent.').waitFor()
    expect(await page.locator('.file-row').count()).toBe(0)
    const mine = page.locator('.bubble--reviewer li.attachment[data-file="guidance.png"] img')
    await mine.waitFor()
    expect(await mine.getAttribute('src')).toMatch(/^blob:/)
    // The reporter's side, as their browser does it: the reply names the file, the bytes open whole.
    const token = await reporterToken(server.url, receipt)
    const wire = await json(`${server.url}/api/reporter/thread`, { token })
    const reply = openThreadAsReporter(wire.body, deriveReporterKeys(receipt)).messages.find((m) => m.author === 'reviewer')!
    expect(reply).toMatchObject({ verified: true, text: 'Thank you. The guidance we mentioned is attached.' })
    expect(reply.files.map((f) => [f.name, f.type, f.size])).toEqual([['guidance.png', 'image/png', guidance.length]])
    const res = await fetch(`${server.url}/api/files/${reply.files[0].id}`, { headers: { authorization: `Bearer ${token}` } })
    expect(res.status).toBe(200)
    expect(openFile(fromB64(reply.files[0].key), new Uint8Array(await res.arrayBuffer()), reply.files[0].size)).toEqual(
      stripMetadata(guidance, 'image/png').bytes,
    )
  })

  it('leaving the page revokes the preview URLs', async () => {
    const src = (await item('screenshot.png').locator('img').getAttribute('src'))!
    // A fresh <img> on the same URL loads while the page holds it, and fails once it is revoked.
    const load = (u: string) =>
      page.evaluate(
        (url) => new Promise<string>((done) => Object.assign(new Image(), { onload: () => done('open'), onerror: () => done('gone'), src: url })),
        u,
      )
    expect(await load(src)).toBe('open')
    await page
      .getByRole('link', { name: /^Back to / })
      .first()
      .click()
    await page.locator('[data-inbox-ready]').waitFor()
    expect(await load(src)).toBe('gone')
  })

  it('the blobs on disk hold none of the plain bytes', async () => {
    const rows = await sql<{ id: string }>('SELECT id FROM blobs WHERE report_id = ?', [reportId])
    expect(rows).toHaveLength(9)
    for (const { id } of rows) {
      const disk = fs.readFileSync(path.join(server.dataDir, 'blobs', id))
      expect(disk.includes(Buffer.from('Sgt Carter'))).toBe(false)
      expect(disk.includes(Buffer.from('window.__svgRan'))).toBe(false)
    }
  })
})
