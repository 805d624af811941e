import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import jpeg from 'jpeg-js'
// @ts-expect-error piexifjs ships no types; the two calls used here are typed below
import piexifUntyped from 'piexifjs'
import type { Browser, BrowserContext, Page, Route } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  deriveReporterKeys,
  fromB64,
  openFile,
  openMessage,
  openReport,
  sealReply,
  toB64,
  type Envelope,
  type FileRef,
  type InboxKeys,
} from '../../crypto/index'
import { utf8 } from '../../crypto/encoding'
import { sealFile } from '../../crypto/files'
import { normaliseReceipt } from '../../crypto/receipt'
import { launchChromium, phoneContext } from '../support/browser'
import { json } from '../support/http'
import { firstAdminWithKeys, reviewApi, sqlAll } from '../support/review-api'
import { startServer, tempDataDir, type RunningServer } from '../support/server'
import { fillReport, journey, mainText, recordRequests, waitForHydration } from './helpers'

type ExifDict = Record<'0th' | 'Exif' | 'GPS', Record<number, unknown>>
const piexif = piexifUntyped as {
  load(jpegBinary: string): ExifDict
  dump(dict: Partial<ExifDict>): string
  insert(exifBinary: string, jpegBinary: string): string
  ImageIFD: Record<string, number>
  GPSIFD: Record<string, number>
}

const SHOTS = 'tests/.artifacts/screens'
const PIECE = 16 * (64 * 1024 + 17)
const UPLOAD_PIECE = /\/api\/files\/[A-Za-z0-9_-]{22}\?offset=\d+$/
const bin = (b: Uint8Array) => Buffer.from(b).toString('latin1')

/** A phone photo as a camera writes it: pixels plus where it was taken and by which phone. */
function photoWithGps(): Uint8Array {
  const width = 96
  const height = 64
  const data = Buffer.alloc(width * height * 4)
  for (let i = 0; i < width * height; i++) data.set([(i % width) * 2, 120, Math.floor(i / width) * 3, 255], i * 4)
  const plain = bin(new Uint8Array(jpeg.encode({ width, height, data }, 90).data))
  const exif = piexif.dump({
    '0th': { [piexif.ImageIFD.Make]: 'Acme PhoneCam', [piexif.ImageIFD.Model]: 'XPZ-999' },
    GPS: {
      [piexif.GPSIFD.GPSLatitudeRef]: 'N',
      [piexif.GPSIFD.GPSLatitude]: [
        [51, 1],
        [30, 1],
        [2634, 100],
      ],
      [piexif.GPSIFD.GPSLongitudeRef]: 'W',
      [piexif.GPSIFD.GPSLongitude]: [
        [0, 1],
        [7, 1],
        [3996, 100],
      ],
    },
  })
  return new Uint8Array(Buffer.from(piexif.insert(exif, plain), 'latin1'))
}

/** A WhatsApp "Export chat" of a busy group, about 1.9 MiB: two upload pieces. */
function chatExport(): string {
  const lines: string[] = []
  for (let i = 0; lines.join('\n').length < 1_900_000; i++) {
    const block: string[] = []
    for (let k = 0; k < 1000; k++, i++)
      block.push(
        `12/03/2024, ${String(8 + (i % 12)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')} - ${['Sgt Carter', 'PC Jones', 'PC Okafor'][i % 3]}: routine message ${i} about the shift`,
      )
    lines.push(...block)
  }
  lines.splice(777, 0, '12/03/2024, 21:15 - Sgt Carter: CHAT-NEEDLE it is only banter, relax')
  return lines.join('\n')
}

/** The reporter's side of evidence files on a phone with JavaScript: strip, encrypt, upload, send, download. */
describe('evidence files from a reporter’s phone (JS on)', () => {
  let server: RunningServer
  let browser: Browser
  let context: BrowserContext
  let page: Page
  let requests: ReturnType<typeof recordRequests>
  let cookie = ''
  let inbox: InboxKeys
  let receipt = ''
  let reportId = ''
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'candour-evidence-files-'))
  const original = photoWithGps()
  const chat = chatExport()
  const files = {
    photo: path.join(dir, 'scene.jpg'),
    chat: path.join(dir, 'WhatsApp Chat with Shift 3.txt'),
    big: path.join(dir, 'too-big.mp4'),
    rota: path.join(dir, 'rota.txt'),
    pdf: path.join(dir, 'statement.pdf'),
  }
  const api = reviewApi(() => server.url)
  const sql = <T>(q: string, p: unknown[] = []) => sqlAll<T>(server.dbFile, q, p)
  const row = (name: string) => page.locator(`li.file-row[data-file="${name}"]`)
  const shot = (name: string) => page.screenshot({ path: `${SHOTS}/evidence-reporter-${name}.png` })
  const blobsDir = () => path.join(server.dataDir, 'blobs')
  journey()

  beforeAll(async () => {
    fs.writeFileSync(files.photo, original)
    fs.writeFileSync(files.chat, chat)
    fs.writeFileSync(files.big, randomBytes(2.5 * 1024 * 1024))
    fs.writeFileSync(files.rota, 'ROTA-NEEDLE: who was on nights that week\n')
    fs.writeFileSync(files.pdf, '%PDF-1.4\n1 0 obj << /Type /Catalog /Author (PC Someone) >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n')
    // 2 MiB per file: the chat export takes two pieces, and 2.5 MiB is over the limit.
    ;[server, browser] = await Promise.all([
      startServer({ dataDir: tempDataDir('candour-e2e-evidence-reporter-'), env: { FILE_MAX_MIB: '2' } }),
      launchChromium(),
    ])
    // The first admin enrols through the API with a software passkey, so the test holds the inbox keys.
    ;({ cookie, inbox } = await firstAdminWithKeys(server))
    context = await phoneContext(browser)
    context.setDefaultTimeout(20_000)
    page = await context.newPage()
    requests = recordRequests(page)
    fs.mkdirSync(SHOTS, { recursive: true })
  })
  afterAll(async () => {
    await browser?.close()
    await server?.stop()
    if (server) fs.rmSync(server.dataDir, { recursive: true, force: true })
    fs.rmSync(dir, { recursive: true, force: true })
  })

  const uploadCalls = () => requests.filter((r) => new URL(r.url).pathname.startsWith('/api/files'))

  it('states the limits before anything is chosen, and refuses a file over them without sending a byte', async () => {
    await page.goto(`${server.url}/report`)
    await waitForHydration(page)
    const picker = page.locator('[data-file-picker]')
    expect(await picker.innerText()).toContain(
      'Up to 10 files, each up to 2 MiB. Photos lose their location and device details on this phone before they are sent.',
    )
    expect(await page.locator('form').first().getAttribute('enctype')).toBe('multipart/form-data')
    await picker.scrollIntoViewIfNeeded()
    await shot('1-picker-limits')

    expect(await picker.getByRole('button', { name: 'Evidence files (optional) Choose files' }).count()).toBe(1)
    await page.locator('input#files').setInputFiles(files.big)
    const refusal = picker.getByRole('alert')
    await refusal.waitFor()
    expect(await refusal.innerText()).toContain('“too-big.mp4” is 2.5 MiB. Files can be at most 2 MiB, so it was not added.')
    expect(await picker.locator('li.file-row').count()).toBe(0)
    await page.waitForTimeout(300)
    expect(uploadCalls()).toEqual([])
  })

  it('strips the photo, encrypts and uploads both files with a real progress bar, retrying a lost piece', async () => {
    const pieces: Array<{ id: string; offset: number; outcome: 'dropped' | 'held' | 'sent' }> = []
    let release!: () => void
    const released = new Promise<void>((r) => (release = r))
    await page.route(UPLOAD_PIECE, async (route: Route) => {
      const u = new URL(route.request().url())
      const id = u.pathname.split('/').pop()!
      const offset = Number(u.searchParams.get('offset'))
      // The photo's first piece is lost once, as on a train going into a tunnel.
      if (pieces.length === 0) {
        pieces.push({ id, offset, outcome: 'dropped' })
        return route.abort('connectionreset')
      }
      // The chat export's second piece waits until the test has seen the bar mid-way.
      if (offset === PIECE) {
        pieces.push({ id, offset, outcome: 'held' })
        await released
      } else pieces.push({ id, offset, outcome: 'sent' })
      await route.continue()
    })

    await page.locator('input#files').setInputFiles([files.photo, files.chat])
    const photo = row('scene.jpg')
    const chatRow = row('WhatsApp Chat with Shift 3.txt')
    await photo.getByText('Location and device details removed').waitFor()
    await page.locator('li.file-row[data-file="scene.jpg"][data-state="done"]').waitFor()
    expect(await photo.innerText()).toContain('Done')
    const bar = photo.locator('progress')
    expect(await bar.getAttribute('value')).toBe(await bar.getAttribute('max'))

    // Mid-way: the first piece is acknowledged, the second is on its way.
    await chatRow.getByText(/Uploading \d+%/).waitFor()
    const mid = await chatRow.innerText()
    const pct = Number(mid.match(/Uploading (\d+)%/)![1])
    expect(pct).toBeGreaterThan(40)
    expect(pct).toBeLessThan(60)
    expect(mid).not.toContain('removed') // a chat export has no hidden details to remove, and says none
    await chatRow.scrollIntoViewIfNeeded()
    await shot('2-progress-mid-upload')
    release()
    await page.locator('li.file-row[data-file="WhatsApp Chat with Shift 3.txt"][data-state="done"]').waitFor()
    await page.locator('[data-file-picker]').scrollIntoViewIfNeeded()
    await shot('3-uploads-done')
    await page.unroute(UPLOAD_PIECE)

    // The dropped piece was sent again from the same offset, and only then did the photo finish.
    const photoId = pieces[0].id
    expect(pieces.filter((p) => p.id === photoId).map((p) => [p.offset, p.outcome])).toEqual([
      [0, 'dropped'],
      [0, 'sent'],
    ])
    expect(new Set(pieces.map((p) => p.id)).size).toBe(2)
    // Only ciphertext left the page: no piece carries the photo's bytes or the chat's words.
    for (const r of uploadCalls()) {
      expect(r.body).not.toContain('CHAT-NEEDLE')
      expect(r.body).not.toContain(bin(original.subarray(200, 264)))
    }
  })

  it('a file that cannot get through says so; Send names it and waits; "Try again" keeps the rest of the report', async () => {
    // Every piece of the PDF is lost: after its tries the row says so plainly.
    await page.route(UPLOAD_PIECE, (route: Route) => route.abort('connectionreset'))
    await page.locator('input#files').setInputFiles(files.pdf)
    const pdf = row('statement.pdf')
    await pdf.getByText("PDFs can carry the author's name").waitFor()
    await page.locator('li.file-row[data-file="statement.pdf"][data-state="failed"]').waitFor({ timeout: 30_000 })
    expect(await pdf.getByRole('alert').innerText()).toContain(
      'The upload stopped after 5 tries (the connection was lost). Check your connection and try again.',
    )
    await page.unroute(UPLOAD_PIECE)
    await pdf.scrollIntoViewIfNeeded()
    await shot('3b-upload-failed')

    await fillReport(page)
    await page.getByRole('button', { name: 'Continue to check your answers' }).click()
    await page.getByRole('heading', { name: 'Check your answers' }).waitFor()
    await page.getByRole('button', { name: 'Send report' }).click()
    const problem = page.locator('.error-summary')
    await problem.waitFor()
    expect(await problem.innerText()).toContain('“statement.pdf” was not sent. Try again or remove it, then send.')
    expect(requests.filter((r) => new URL(r.url).pathname === '/api/reports')).toEqual([])

    await page.getByRole('button', { name: 'Try again to send statement.pdf' }).click()
    await page.locator('li.file-row[data-file="statement.pdf"][data-state="done"]').waitFor()
    // Sent now, but the officer thinks better of it: removed, it does not go with the report.
    await page.getByRole('button', { name: 'Remove statement.pdf' }).click()
    await pdf.waitFor({ state: 'detached' })
  })

  it('"Check your answers" lists the files; Send seals their keys into the report', async () => {
    const listed = await page.locator('[data-review-files]').innerText()
    expect(listed).toContain('scene.jpg')
    expect(listed).toContain('WhatsApp Chat with Shift 3.txt')
    expect(listed).toContain('Location and device details removed')
    expect(listed).toMatch(/1\.\d MiB/)
    await page.locator('[data-review-files]').scrollIntoViewIfNeeded()
    await shot('4-check-answers-files')
    await page.getByRole('button', { name: 'Send report' }).click()
    await page.getByRole('heading', { name: 'Your report has been sent' }).waitFor()
    receipt = (await page.locator('[data-receipt]').getAttribute('data-receipt')) ?? ''
    expect(receipt).not.toBe('')
    const locator = deriveReporterKeys(normaliseReceipt(receipt)).locator
    reportId = (await sql<{ id: string }>('SELECT id FROM reports WHERE locator = ?', [locator]))[0].id
  })

  let refs: FileRef[] = []
  let stripped: Uint8Array
  it('the inbox opens two files: the photo without GPS and with identical pixels, the chat export byte for byte', async () => {
    const blobs = await sql<{ id: string; received: number; padded_size: number; token_hash: string | null }>(
      'SELECT id, received, padded_size, token_hash FROM blobs WHERE report_id = ?',
      [reportId],
    )
    expect(blobs.length).toBe(2)
    for (const b of blobs) expect([b.received === b.padded_size, b.token_hash]).toEqual([true, null])
    const [report] = await sql<{ envelope: string }>('SELECT envelope FROM reports WHERE id = ?', [reportId])
    const opened = openReport(JSON.parse(report.envelope) as Envelope, { as: 'inbox', inbox: inbox.encryption })
    expect(opened.verified).toBe(true)
    refs = opened.files
    expect(refs.map((r) => [r.name, r.type])).toEqual([
      ['scene.jpg', 'image/jpeg'],
      ['WhatsApp Chat with Shift 3.txt', 'text/plain'],
    ])
    expect(new Set(refs.map((r) => r.id))).toEqual(new Set(blobs.map((b) => b.id)))
    const open = (r: FileRef) => openFile(fromB64(r.key), fs.readFileSync(path.join(blobsDir(), r.id)), r.size)

    stripped = open(refs[0])
    const exif = piexif.load(bin(stripped))
    expect(Object.keys(exif.GPS ?? {})).toEqual([])
    expect(exif['0th']?.[piexif.ImageIFD.Make]).toBeUndefined()
    expect(Object.keys(piexif.load(bin(original)).GPS).length).toBeGreaterThan(0) // the planted tag was really there
    expect(Buffer.from(jpeg.decode(stripped).data).equals(Buffer.from(jpeg.decode(original).data))).toBe(true)
    expect(Buffer.from(open(refs[1])).equals(Buffer.from(utf8(chat)))).toBe(true)
  })

  it('no blob on disk holds any slice of the original photo or the chat’s words', () => {
    const stored = fs.readdirSync(blobsDir()).map((f) => fs.readFileSync(path.join(blobsDir(), f)))
    expect(stored.length).toBeGreaterThanOrEqual(2)
    for (const blob of stored) {
      for (let at = 0; at + 24 <= original.length; at += 12) expect(blob.includes(Buffer.from(original.subarray(at, at + 24)))).toBe(false)
      expect(blob.includes('CHAT-NEEDLE')).toBe(false)
    }
  })

  async function openCheck(javaScriptEnabled = true): Promise<Page> {
    const p = javaScriptEnabled ? page : await (await phoneContext(browser, { javaScriptEnabled })).newPage()
    await p.goto(`${server.url}/check`)
    if (javaScriptEnabled) await waitForHydration(p)
    await p.getByLabel('Receipt code').fill(receipt)
    await p.getByRole('button', { name: 'Open my report' }).click()
    await p.getByRole('heading', { name: 'Your report', exact: true }).waitFor()
    await p.waitForLoadState('domcontentloaded')
    return p
  }

  it('on "Check replies" the reporter downloads their own photo, opened on the phone', async () => {
    await openCheck()
    const own = page.locator('section[aria-labelledby="report-title"] li.file-row[data-file="scene.jpg"]')
    const [download] = await Promise.all([page.waitForEvent('download'), own.getByRole('button', { name: /Download/ }).click()])
    expect(download.suggestedFilename()).toBe('scene.jpg')
    expect(Buffer.from(fs.readFileSync((await download.path())!)).equals(Buffer.from(stripped))).toBe(true)
    await own.getByText('Opened and saved to this device.').waitFor()
  })

  it('a follow-up carries a file the same way', async () => {
    await page.getByLabel('Add a message').fill('The rota for that week is attached.')
    await page.locator('input#followup-files').setInputFiles(files.rota)
    await page.locator('li.file-row[data-file="rota.txt"][data-state="done"]').waitFor()
    await page.getByRole('button', { name: 'Send message' }).click()
    await page.getByText('sealed on this device and sent').waitFor()
    const mine = page.locator('ol.thread li.bubble--reporter')
    expect(await mine.innerText()).toContain('rota.txt')

    const blobs = await sql<{ id: string }>('SELECT id FROM blobs WHERE report_id = ?', [reportId])
    expect(blobs.length).toBe(3)
    const [msg] = await sql<{ envelope: string }>("SELECT envelope FROM messages WHERE report_id = ? AND author_kind = 'reporter'", [reportId])
    const [report] = await sql<{ sign_pk: string }>('SELECT sign_pk FROM reports WHERE id = ?', [reportId])
    const opened = openMessage(
      JSON.parse(msg.envelope) as Envelope,
      { as: 'inbox', inbox: inbox.encryption },
      {
        reporterSignPk: report.sign_pk,
        inboxSignPk: toB64(inbox.identity.publicKey),
      },
    )
    expect(opened.verified).toBe(true)
    expect(opened.files.map((f) => f.name)).toEqual(['rota.txt'])
    const rota = opened.files[0]
    expect(Buffer.from(openFile(fromB64(rota.key), fs.readFileSync(path.join(blobsDir(), rota.id)), rota.size)).toString()).toContain('ROTA-NEEDLE')
  })

  it('a file a reviewer sends shows in the thread with a Download button and its progress', async () => {
    const plain = utf8('REPLY-NEEDLE: the policy we mentioned, as a text file\n'.repeat(40))
    const { key, ciphertext } = sealFile(plain)
    const start = await json(`${server.url}/api/files`, { body: { paddedSize: ciphertext.length } })
    expect(start.status, JSON.stringify(start.body)).toBe(201)
    const { id, token } = start.body as { id: string; token: string }
    const put = await fetch(`${server.url}/api/files/${id}?offset=0`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream', authorization: `Bearer ${token}` },
      body: ciphertext as Uint8Array<ArrayBuffer>,
    })
    expect(put.status).toBe(200)
    const ref: FileRef = { id, name: 'Policy on banter.txt', type: 'text/plain', size: plain.length, key: toB64(key) }
    const boxPk = toB64(deriveReporterKeys(normaliseReceipt(receipt)).box.publicKey)
    const reply = await api.post(
      '/api/review/triage/reply',
      {
        reportId,
        keyVersion: 1,
        envelope: sealReply({ text: 'Thank you. Our policy is attached.', reviewer: 'Reviewer Wren', files: [ref], chain: null }, inbox, boxPk),
        files: [{ id, token }],
      },
      cookie,
    )
    expect(reply.status, JSON.stringify(reply.body)).toBe(200)

    await openCheck()
    const theirs = page.locator('ol.thread li.bubble--reviewer li.file-row[data-file="Policy on banter.txt"]')
    expect(await theirs.innerText()).toContain('2.1 KiB')
    await theirs.scrollIntoViewIfNeeded()
    await shot('5-thread-with-files')
    const [download] = await Promise.all([page.waitForEvent('download'), theirs.getByRole('button', { name: /Download/ }).click()])
    expect(download.suggestedFilename()).toBe('Policy on banter.txt')
    expect(Buffer.from(fs.readFileSync((await download.path())!)).equals(Buffer.from(plain))).toBe(true)
  })

  it('without JavaScript the thread lists the files and downloads them through the server; the page carries no file key', async () => {
    const plainPage = await openCheck(false)
    const text = await plainPage.locator('main').innerText()
    for (const name of ['scene.jpg', 'WhatsApp Chat with Shift 3.txt', 'rota.txt', 'Policy on banter.txt']) expect(text).toContain(name)
    const html = await plainPage.content()
    for (const r of refs) expect(html).not.toContain(r.key)
    // The server opens the reviewer's file in memory with the posted code; the browser saves it.
    const theirs = plainPage.locator('ol.thread li.bubble--reviewer li.file-row[data-file="Policy on banter.txt"]')
    const [saved] = await Promise.all([plainPage.waitForEvent('download'), theirs.getByRole('button', { name: /Download/ }).click()])
    expect(saved.suggestedFilename()).toBe('Policy on banter.txt')
    expect(fs.readFileSync((await saved.path())!).toString('utf8')).toMatch(/^REPLY-NEEDLE: the policy we mentioned/)
    expect(await plainPage.locator('form.reply-form').getAttribute('enctype')).toBe('multipart/form-data')
    expect(await plainPage.locator('[data-file-picker]').innerText()).toContain("With JavaScript off, that happens on Candour's server")
    await plainPage.locator('ol.thread li.bubble--reviewer').scrollIntoViewIfNeeded()
    await plainPage.screenshot({ path: `${SHOTS}/evidence-reporter-6-nojs-thread.png` })

    // The report form without JavaScript: a plain multiple file input in a multipart form.
    await plainPage.goto(`${server.url}/report`)
    const input = plainPage.locator('input#files')
    expect([await input.getAttribute('type'), await input.getAttribute('name'), await input.getAttribute('multiple')]).toEqual(['file', 'files', ''])
    expect(await plainPage.locator('form').first().getAttribute('enctype')).toBe('multipart/form-data')
    expect(await plainPage.locator('[data-file-picker]').innerText()).toContain('Up to 10 files, each up to 2 MiB.')
    await input.scrollIntoViewIfNeeded()
    await plainPage.screenshot({ path: `${SHOTS}/evidence-reporter-7-nojs-picker.png` })
    await plainPage.context().close()
  })

  it('without JavaScript, "Check your answers" lists the posted files, and they survive "Change answers" to the report', async () => {
    const p = await (await phoneContext(browser, { javaScriptEnabled: false })).newPage()
    p.context().setDefaultTimeout(20_000)
    await p.goto(`${server.url}/report`)
    await fillReport(p)
    await p.locator('input#files').setInputFiles([files.photo, files.rota])
    await p.getByRole('button', { name: 'Continue to check your answers' }).click()
    await p.getByRole('heading', { name: 'Check your answers' }).waitFor()
    const listed = async () => p.locator('[data-review-files]').innerText()
    for (const text of ['scene.jpg', 'rota.txt', 'Location and device details removed', '41 bytes']) expect(await listed()).toContain(text)
    await p.locator('[data-review-files]').scrollIntoViewIfNeeded()
    await p.screenshot({ path: `${SHOTS}/evidence-reporter-8-nojs-check-answers.png` })
    expect(await p.locator('form:has(button[value="send"]) input[name="fileRefs"]').count()).toBe(1)

    await p.getByRole('button', { name: 'Change answers' }).click()
    await p.getByRole('heading', { name: 'Make a report' }).waitFor()
    expect(await mainText(p)).toContain('Files already added')
    await p.getByRole('button', { name: 'Continue to check your answers' }).click()
    await p.getByRole('heading', { name: 'Check your answers' }).waitFor()
    expect(await listed()).toContain('scene.jpg')
    await p.getByRole('button', { name: 'Send report' }).click()
    await p.getByRole('heading', { name: 'Your report has been sent' }).waitFor()
    const code = (await p.locator('[data-receipt]').getAttribute('data-receipt')) ?? ''
    const [report] = await sql<{ id: string; envelope: string }>('SELECT id, envelope FROM reports WHERE locator = ?', [
      deriveReporterKeys(normaliseReceipt(code)).locator,
    ])
    expect((await sql('SELECT id FROM blobs WHERE report_id = ?', [report.id])).length).toBe(2)
    const opened = openReport(JSON.parse(report.envelope) as Envelope, { as: 'inbox', inbox: inbox.encryption })
    expect(opened.files.map((f) => f.name)).toEqual(['scene.jpg', 'rota.txt'])
    const photo = openFile(fromB64(opened.files[0].key), fs.readFileSync(path.join(blobsDir(), opened.files[0].id)), opened.files[0].size)
    expect(Object.keys(piexif.load(bin(photo)).GPS ?? {})).toEqual([])
    await p.context().close()
  })
})
