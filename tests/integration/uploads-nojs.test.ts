import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import jpeg from 'jpeg-js'
// @ts-expect-error piexifjs ships no types; the few calls used here are typed below
import piexifUntyped from 'piexifjs'
import { fromB64, openFile, openMessage, openReport, toB64, type Envelope, type FileRef, type InboxKeys } from '../../crypto/index'
import en from '../../common/i18n/en/errors.json'
import cyReporter from '../../common/i18n/cy/reporter.json'
import { loadInboxKeys, receiptFromPage, reporterToken, seeOther, visibleText } from '../support/http'
import { sqlAll } from '../support/review-api'
import { createInbox, errorLines, startServer, tempDataDir, type RunningServer } from '../support/server'

/**
 * Evidence without JavaScript: files posted in the report and follow-up forms (multipart), stripped
 * and encrypted by the server while they stream in. The server runs with FILE_MAX_MIB=1.
 */
const piexif = piexifUntyped as {
  load(jpegBinary: string): Record<'0th' | 'Exif' | 'GPS', Record<number, unknown>>
  dump(dict: Record<string, Record<number, unknown>>): string
  insert(exifBinary: string, jpegBinary: string): string
  ImageIFD: Record<string, number>
  GPSIFD: Record<string, number>
}
const bin = (b: Uint8Array) => Buffer.from(b).toString('latin1')

let server: RunningServer
let inbox: { id: string; keyFile: string; keys: InboxKeys }
const blobDir = () => path.join(server.dataDir, 'blobs')
const blobFiles = () => fs.readdirSync(blobDir())
const db = <T = any>(sql: string, params: unknown[] = []) => sqlAll<T>(server.dbFile, sql, params)

function photoWithGps(): Uint8Array {
  const width = 64
  const height = 48
  const data = Buffer.alloc(width * height * 4)
  for (let i = 0; i < data.length; i += 4) [data[i], data[i + 1], data[i + 2], data[i + 3]] = [(i / 4) % 256, (i / 97) % 256, 80, 255]
  const plain = bin(new Uint8Array(jpeg.encode({ width, height, data }, 90).data))
  const exif = piexif.dump({
    '0th': { [piexif.ImageIFD.Make]: 'Acme PhoneCam', [piexif.ImageIFD.Model]: 'XPZ-999' },
    GPS: {
      [piexif.GPSIFD.GPSLatitudeRef]: 'N',
      [piexif.GPSIFD.GPSLatitude]: [
        [53, 1],
        [47, 1],
        [4200, 100],
      ],
      [piexif.GPSIFD.GPSLongitudeRef]: 'W',
      [piexif.GPSIFD.GPSLongitude]: [
        [1, 1],
        [32, 1],
        [1500, 100],
      ],
    },
  })
  return new Uint8Array(Buffer.from(piexif.insert(exif, plain), 'latin1'))
}

/** A WhatsApp export over two 64 KiB chunks, every line different, so any slice is telling. */
const chatExport = (lines: number, who = 'Sgt Bloggs') =>
  new Uint8Array(
    Buffer.from(
      Array.from({ length: lines }, (_, i) => `12/03/2024, 21:${String(i % 60).padStart(2, '0')} - ${who}: banter number ${i} about the new PC\n`).join(''),
    ),
  )
const pdfLike = () =>
  new Uint8Array(Buffer.from(`%PDF-1.4\n1 0 obj << /Author (PC Cassandra Quill) /Title (Duty rota) >> endobj\n${'stream of rota text\n'.repeat(300)}%%EOF\n`))

const PHOTO = photoWithGps()
const CHAT = chatExport(2500)
const PDF = pdfLike()

type Part = string | { name: string; type: string; bytes: Uint8Array }
async function post(where: '/report' | '/report?lang=cy' | '/check', fields: Array<[string, Part]>) {
  const fd = new FormData()
  for (const [k, v] of fields) {
    if (typeof v === 'string') fd.append(k, v)
    else fd.append(k, new Blob([Buffer.from(v.bytes)], { type: v.type }), v.name)
  }
  return seeOther(`${server.url}${where}`, await fetch(`${server.url}${where}`, { method: 'POST', body: fd, redirect: 'manual' }))
}

const answers = (intent: string): Array<[string, Part]> => [
  ['intent', intent],
  ['inboxId', inbox.id],
  ['categories', 'racism'],
  ['whatHappened', 'Screenshots of the team chat are attached.'],
  ['role', 'witness'],
]
const files = (): Array<[string, Part]> => [
  ['files', { name: 'IMG_2041.jpg', type: 'image/jpeg', bytes: PHOTO }],
  ['files', { name: 'WhatsApp Chat with Response Team.txt', type: 'text/plain', bytes: CHAT }],
  ['files', { name: 'rota.pdf', type: 'application/pdf', bytes: PDF }],
]

const decode = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
/** The hidden fields a page carries to its next step, as a browser would post them. */
function hiddenFields(html: string): Array<[string, string]> {
  return [...html.matchAll(/<input(?=[^>]*type="hidden")[^>]*>/g)].map((m) => [
    decode(m[0].match(/name="([^"]*)"/)?.[1] ?? ''),
    decode(m[0].match(/value="([^"]*)"/)?.[1] ?? ''),
  ])
}
const fileRefsOf = (html: string) =>
  JSON.parse(hiddenFields(html).find(([k]) => k === 'fileRefs')?.[1] ?? '[]') as Array<{ ref: FileRef; token: string; note: string }>

/** No stored blob holds any 48-byte slice of the plaintext. */
function noPlainOnDisk(plain: Uint8Array) {
  const blobs = blobFiles().map((f) => fs.readFileSync(path.join(blobDir(), f)))
  for (let at = 0; at + 48 <= plain.length; at += Math.max(48, Math.floor(plain.length / 40))) {
    const slice = Buffer.from(plain.subarray(at, at + 48))
    for (const b of blobs) expect(b.includes(slice), `slice at ${at}`).toBe(false)
  }
}

async function download(ref: FileRef, token: string) {
  const res = await fetch(`${server.url}/api/files/${ref.id}`, { headers: { authorization: `Bearer ${token}` } })
  expect(res.status).toBe(200)
  return openFile(fromB64(ref.key), new Uint8Array(await res.arrayBuffer()), ref.size)
}

beforeAll(async () => {
  const dataDir = tempDataDir('candour-uploads-nojs-')
  const created = createInbox(dataDir)
  server = await startServer({ dataDir, env: { FILE_MAX_MIB: '1' } })
  inbox = { ...created, keys: await loadInboxKeys(created.keyFile) }
})

afterAll(async () => {
  await server?.stop()
  if (server) fs.rmSync(server.dataDir, { recursive: true, force: true })
})

describe('evidence files without JavaScript', () => {
  let receipt = ''
  let reportId = ''

  it('the first step stores the files encrypted and "Check your answers" lists each with its note', async () => {
    const res = await post('/report', [...answers('review'), ...files()])
    expect(res.status, visibleText(res.html).slice(0, 500)).toBe(200)
    const text = visibleText(res.html)
    expect(text).toContain('Check your answers')
    for (const name of ['IMG_2041.jpg', 'WhatsApp Chat with Response Team.txt', 'rota.pdf']) expect(text).toContain(name)
    expect(text).toContain('Location and device details removed')
    expect(text).toContain("PDFs can carry the author's name")
    expect(text).toContain('This kind of file carries no hidden details.')
    const carried = fileRefsOf(res.html)
    expect(carried.map((f) => [f.ref.name, f.ref.type])).toEqual([
      ['IMG_2041.jpg', 'image/jpeg'],
      ['WhatsApp Chat with Response Team.txt', 'text/plain'],
      ['rota.pdf', 'application/pdf'],
    ])
    expect(carried[1].ref.size).toBe(CHAT.length)
    expect(carried[2].ref.size).toBe(PDF.length)
    expect(carried[0].ref.size).toBeLessThan(PHOTO.length) // the Exif went
    // Stored already, as ciphertext only, and not yet part of any report.
    const rows = await db('SELECT id, report_id, received, padded_size FROM blobs')
    expect(rows).toHaveLength(3)
    for (const r of rows) expect(r).toMatchObject({ report_id: null, received: r.padded_size })
    for (const plain of [PHOTO, CHAT, PDF]) noPlainOnDisk(plain)

    const send = hiddenFields(res.html).filter(([k]) => k !== 'intent')
    const sent = await post('/report', [['intent', 'send'], ...send])
    expect(sent.status).toBe(200)
    receipt = receiptFromPage(sent.html)
    const attached = await db<{ report_id: string }>('SELECT DISTINCT report_id FROM blobs')
    expect(attached).toHaveLength(1)
    reportId = attached[0].report_id
    expect(reportId).toBeTruthy()
  })

  it('the inbox opens the report with three files: no GPS, same pixels, chat and PDF byte for byte', async () => {
    const [row] = await db<{ envelope: string }>('SELECT envelope FROM reports WHERE id = ?', [reportId])
    const report = openReport(JSON.parse(row.envelope) as Envelope, { as: 'inbox', inbox: inbox.keys.encryption })
    expect(report.verified).toBe(true)
    expect(report.files.map((f) => f.name)).toEqual(['IMG_2041.jpg', 'WhatsApp Chat with Response Team.txt', 'rota.pdf'])
    const token = await reporterToken(server.url, receipt)
    const [photo, chat, pdf] = await Promise.all(report.files.map((f) => download(f, token)))
    expect(Object.keys(piexif.load(bin(PHOTO)).GPS).length).toBeGreaterThan(0)
    expect(piexif.load(bin(photo)).GPS).toEqual({})
    expect(Buffer.from(photo).includes(Buffer.from('Acme PhoneCam'))).toBe(false)
    expect(Buffer.from(jpeg.decode(photo, { useTArray: true }).data).equals(Buffer.from(jpeg.decode(PHOTO, { useTArray: true }).data))).toBe(true)
    expect(Buffer.from(chat).equals(Buffer.from(CHAT))).toBe(true)
    expect(Buffer.from(pdf).equals(Buffer.from(PDF))).toBe(true)
    for (const plain of [PHOTO, CHAT, PDF, photo]) noPlainOnDisk(plain)
  })

  it('sending the same page again files nothing twice', async () => {
    const before = await db('SELECT id, report_id FROM blobs ORDER BY id')
    const review = await post('/report', [...answers('review'), ...files()])
    // Same answers, new receipt: a second report with its own files is fine; the re-post is what must not double.
    const send = hiddenFields(review.html).filter(([k]) => k !== 'intent')
    const first = await post('/report', [['intent', 'send'], ...send])
    const again = await post('/report', [['intent', 'send'], ...send])
    expect(receiptFromPage(again.html)).toBe(receiptFromPage(first.html))
    expect(await db('SELECT COUNT(*) AS n FROM reports')).toEqual([{ n: 2 }])
    expect((await db('SELECT id FROM blobs')).length).toBe(before.length + 3)
  })

  it('a file over FILE_MAX_MIB is a 413 naming the limit, and no file of that request stays on disk', async () => {
    const blobsBefore = blobFiles().sort()
    const big = new Uint8Array(1024 * 1024 + 1).map((_, i) => (i * 7) & 0xff)
    for (const file of [
      { name: 'long recording.m4a', type: 'audio/mp4', bytes: big },
      { name: 'huge.jpg', type: 'image/jpeg', bytes: new Uint8Array([...PHOTO, ...big]) },
    ]) {
      const res = await post('/report', [...answers('review'), ['files', { name: 'small.txt', type: 'text/plain', bytes: CHAT }], ['files', file]])
      expect(res.status).toBe(413)
      const text = visibleText(res.html)
      expect(text).toContain(`"${file.name}" is larger than 1 MiB, the most one file can be. Nothing was sent.`)
    }
    expect(blobFiles().sort()).toEqual(blobsBefore)
    expect(await db('SELECT COUNT(*) AS n FROM blobs WHERE report_id IS NULL')).toEqual([{ n: 0 }])
  })

  it('a damaged picture is refused with a plain message; an empty file input is ignored', async () => {
    const before = blobFiles().length
    const broken = await post('/report', [
      ...answers('review'),
      ['files', { name: 'broken.jpg', type: 'image/jpeg', bytes: new Uint8Array([0xff, 0xd8, 0xff, 0xe1, 0, 2, 1, 2, 3]) }],
    ])
    expect(broken.status).toBe(400)
    expect(visibleText(broken.html)).toContain(en.files.damagedPicture.replace('{{name}}', 'broken.jpg'))
    expect(blobFiles().length).toBe(before)

    // What a browser sends for a file input left empty: a part with an empty file name and no bytes.
    const boundary = '----candourtest'
    const part = (headers: string, body: string) => `--${boundary}\r\n${headers}\r\n\r\n${body}\r\n`
    const body =
      answers('review')
        .map(([k, v]) => part(`Content-Disposition: form-data; name="${k}"`, v as string))
        .join('') +
      part('Content-Disposition: form-data; name="files"; filename=""\r\nContent-Type: application/octet-stream', '') +
      `--${boundary}--\r\n`
    const res = await fetch(`${server.url}/report`, { method: 'POST', headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, body })
    const html = await res.text()
    expect(res.status).toBe(200)
    expect(visibleText(html)).toContain('Check your answers')
    expect(fileRefsOf(html)).toEqual([])
    expect(blobFiles().length).toBe(before)
  })

  it('a malformed or cut-off multipart body is a 400 and leaves no blob', async () => {
    const before = blobFiles().sort()
    const boundary = '----candourbad'
    const head = `--${boundary}\r\nContent-Disposition: form-data; name="intent"\r\n\r\nreview\r\n`
    const filePart = (name: string) => `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="${name}"\r\nContent-Type: text/plain\r\n\r\n`
    // No boundary anywhere reads as an empty form: the form again, with its errors.
    const empty = await fetch(`${server.url}/report`, {
      method: 'POST',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      body: 'not multipart',
    })
    expect(empty.status).toBe(200)
    expect(visibleText(await empty.text())).toContain('There is a problem')
    const bodies: Array<[string, string | Blob]> = [
      ['multipart/form-data', head],
      // The connection dropped halfway through a file: no closing boundary.
      [`multipart/form-data; boundary=${boundary}`, new Blob([head + filePart('cut.txt'), Buffer.from(CHAT)])],
      [`multipart/form-data; boundary=${boundary}`, `${head}${filePart('a;b=c.txt')}hello\r\n--${boundary}--\r\n`],
    ]
    for (const [type, body] of bodies) {
      const res = await fetch(`${server.url}/report`, { method: 'POST', headers: { 'content-type': type }, body })
      expect(res.status, type).toBe(400)
      await res.text()
    }
    const named = await fetch(`${server.url}/report`, { method: 'POST', headers: { 'content-type': bodies[2][0] }, body: bodies[2][1] })
    expect(visibleText(await named.text())).toContain('Rename the file without ; or =')
    expect(blobFiles().sort()).toEqual(before)
    expect(await db('SELECT COUNT(*) AS n FROM blobs WHERE report_id IS NULL')).toEqual([{ n: 0 }])
  })

  it('names lose their path and control characters; the type is what the bytes are', async () => {
    const res = await post('/report', [
      ...answers('review'),
      ['files', { name: '..\\..\\secret\u202Egpj.exe', type: 'image/jpeg', bytes: CHAT.subarray(0, 100) }],
    ])
    expect(res.status).toBe(200)
    const [f] = fileRefsOf(res.html)
    expect(f.ref.name).toBe('secretgpj.exe')
    expect(f.ref.type).toBe('text/plain')
    expect(f.note).toEqual({ hidden: { notPicture: true } })
    expect(visibleText(res.html)).toContain('This file says it is a picture but is really something else.')
  })

  it("in Welsh, each file's note is in Welsh, carried to the next step as codes and not as words", async () => {
    const res = await post('/report?lang=cy', [...answers('review'), ...files(), ['files', { name: 'llun.png', type: 'image/png', bytes: PDF }]])
    expect(res.status, visibleText(res.html).slice(0, 500)).toBe(200)
    const text = visibleText(res.html)
    const w = cyReporter.files
    expect(text).toContain(w.removed)
    expect(text).toContain(w.hidden.pdf)
    expect(text).toContain(w.nothingHidden)
    expect(text).toContain(w.notPictureAnd.replace('{{what}}', w.noun.pdf).replace('{{warning}}', w.hidden.pdf))
    expect(text).not.toContain("PDFs can carry the author's name")
    expect(text).not.toContain('Location and device details removed')
    expect(fileRefsOf(res.html).map((f) => f.note)).toEqual([
      { removed: true },
      { nothingHidden: true },
      { hidden: { family: 'pdf' } },
      { hidden: { family: 'pdf', notPicture: true } },
    ])
  })

  it('a filled honeypot gets the normal page, but none of its files are kept', async () => {
    const before = blobFiles().length
    const res = await post('/report', [...answers('review'), ['homepage', 'http://spam.example'], ...files()])
    expect(res.status).toBe(200)
    expect(visibleText(res.html)).toContain('IMG_2041.jpg')
    expect(blobFiles().length).toBe(before)
  })

  it('a follow-up on /check carries a file, attached to the report; a refused one keeps nothing', async () => {
    // Exactly two chunks: the second full chunk must still be the last one.
    const exact = chatExport(5000, 'Insp Quill').subarray(0, 2 * 64 * 1024)
    const before = blobFiles().length
    const tooLong = await post('/check', [
      ['intent', 'followup'],
      ['receipt', receipt],
      ['message', 'x'.repeat(10_001)],
      ['files', { name: 'more.txt', type: 'text/plain', bytes: exact }],
    ])
    expect(tooLong.status).toBe(200)
    expect(visibleText(tooLong.html)).toContain('the limit is 10,000')
    const unknown = await post('/check', [
      ['intent', 'followup'],
      ['receipt', 'ABCD-EFGH-JKMN-PQRS-TVWX-Y'],
      ['message', 'hi'],
      ['files', { name: 'more.txt', type: 'text/plain', bytes: exact }],
    ])
    expect([200, 400]).toContain(unknown.status)
    expect(blobFiles().length).toBe(before)

    const res = await post('/check', [
      ['intent', 'followup'],
      ['receipt', receipt],
      ['message', 'One more export.'],
      ['files', { name: 'more.txt', type: 'text/plain', bytes: exact }],
    ])
    expect(res.status).toBe(200)
    expect(visibleText(res.html)).toContain('sealed and sent')
    expect(blobFiles().length).toBe(before + 1)
    const [msg] = await db<{ envelope: string }>("SELECT envelope FROM messages WHERE report_id = ? AND author_kind = 'reporter'", [reportId])
    const [rep] = await db<{ sign_pk: string }>('SELECT sign_pk FROM reports WHERE id = ?', [reportId])
    const opened = openMessage(
      JSON.parse(msg.envelope) as Envelope,
      { as: 'inbox', inbox: inbox.keys.encryption },
      { reporterSignPk: rep.sign_pk, inboxSignPk: toB64(inbox.keys.identity.publicKey) },
    )
    expect(opened).toMatchObject({ kind: 'followup', text: 'One more export.', verified: true })
    expect(opened.files.map((f) => [f.name, f.size])).toEqual([['more.txt', exact.length]])
    expect(await db('SELECT report_id FROM blobs WHERE id = ?', [opened.files[0].id])).toEqual([{ report_id: reportId }])
    const plain = await download(opened.files[0], await reporterToken(server.url, receipt))
    expect(Buffer.from(plain).equals(Buffer.from(exact))).toBe(true)
    noPlainOnDisk(exact)
  })

  it('without JavaScript the reporter downloads a file through the thread page: opened in server memory, whole', async () => {
    const page = await post('/check', [
      ['intent', 'open'],
      ['receipt', receipt],
    ])
    expect(page.status).toBe(200)
    const [row] = await db<{ envelope: string }>('SELECT envelope FROM reports WHERE id = ?', [reportId])
    const chatRef = openReport(JSON.parse(row.envelope) as Envelope, { as: 'inbox', inbox: inbox.keys.encryption }).files[1]
    // The thread offers a download form per file, carrying the code like the follow-up form.
    expect(page.html).toContain(`name="file" value="${chatRef.id}"`)
    const form = (fields: Record<string, string>) =>
      fetch(`${server.url}/check/download`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields).toString(),
      })
    const res = await form({ receipt, file: chatRef.id })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/octet-stream')
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="download"; filename*=UTF-8''${encodeURIComponent(chatRef.name)}`)
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect(Buffer.from(await res.arrayBuffer()).equals(Buffer.from(CHAT))).toBe(true)
    // A file of another report, or none, is refused on the thread page; a wrong code opens nothing.
    const [other] = await db<{ id: string }>('SELECT id FROM blobs WHERE report_id IS NOT NULL AND report_id != ? LIMIT 1', [reportId])
    const foreign = await form({ receipt, file: other?.id ?? 'A'.repeat(22) })
    expect([foreign.status, await foreign.text()]).toEqual([404, 'That file is not part of your report. Go back to your report and try again.'])
    const wrongCode = await form({ receipt: 'ABCD-EFGH-JKMN-PQRS-TVWX-Y', file: chatRef.id })
    expect([400, 404]).toContain(wrongCode.status)
    expect(await wrongCode.text()).not.toContain(chatRef.name)
  })

  it('the server log names no file and holds none of their contents', () => {
    const out = server.output()
    expect(errorLines(out)).toEqual([])
    for (const s of ['IMG_2041', 'WhatsApp Chat', 'rota.pdf', 'more.txt', 'huge.jpg', 'long recording', 'banter number', 'Cassandra', 'Acme PhoneCam'])
      expect(out, s).not.toContain(s)
  })
})
