import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  deriveReporterKeys,
  fromB64,
  newReceipt,
  openFile,
  openMessage,
  openThreadAsReporter,
  paddedLength,
  publishKey,
  sealFollowup,
  sealNote,
  sealReply,
  sealReport,
  toB64,
  type Envelope,
  type FileRef,
  type InboxKeys,
} from '../../crypto/index'
import { sealFile } from '../../crypto/files'
import { bucketSize } from '../../crypto/padding'
import { normaliseReceipt } from '../../crypto/receipt'
import { FILE_LIMITS } from '#common/limits'
import { json, loadInboxKeys, reporterToken } from '../support/http'
import { firstAdminWithKeys, reviewApi, sqlAll } from '../support/review-api'
import { createInbox, errorLines, startServer, tempDataDir, type RunningServer } from '../support/server'

/**
 * Evidence uploads with JavaScript, against the real server: encrypted pieces behind a capability,
 * attached with the message that names them, downloaded only by those who may read the report,
 * and deleted with it. The server runs with FILE_MAX_MIB=1 and FILES_PER_MESSAGE=3.
 */
type Inbox = { id: string; keys: InboxKeys }
type Upload = { id: string; token: string; ciphertext: Uint8Array; plain: Uint8Array; ref: FileRef }
type Filed = { id: string; receipt: string; token: string }

let server: RunningServer
let dataDir = ''
let cookie = ''
let mine: Inbox // Ada's inbox
let other: Inbox // an offline inbox Ada is not a member of
const api = reviewApi(() => server.url)
const post = (p: string, body: unknown) => api.post(p, body, cookie)
const db = <T = any>(sql: string, params: unknown[] = []) => sqlAll<T>(server.dbFile, sql, params)
const blobFile = (id: string) => path.join(dataDir, 'blobs', id)
const PIECE = 100_000

const create = async (paddedSize: number) => json(`${server.url}/api/files`, { body: { paddedSize } })
async function piece(id: string, token: string | undefined, offset: number, bytes: Uint8Array) {
  const res = await fetch(`${server.url}/api/files/${id}?offset=${offset}`, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: Buffer.from(bytes),
  })
  return { status: res.status, body: (await res.json()) as any }
}

/** Seals a file as the browser does and uploads it in pieces; `upTo` stops early (an unfinished upload). */
async function upload(plain: Uint8Array, name = 'evidence.txt', upTo = Infinity): Promise<Upload> {
  const { key, ciphertext } = sealFile(plain)
  const made = await create(ciphertext.length)
  expect(made.status, JSON.stringify(made.body)).toBe(201)
  const { id, token } = made.body
  for (let at = 0; at < Math.min(upTo, ciphertext.length); at += PIECE) {
    const r = await piece(id, token, at, ciphertext.subarray(at, at + PIECE))
    expect(r.status, JSON.stringify(r.body)).toBe(200)
  }
  return { id, token, ciphertext, plain, ref: { id, name, type: 'text/plain', size: plain.length, key: toB64(key) } }
}
const text = (n: number, tag: string) =>
  new Uint8Array(Buffer.from(Array.from({ length: n }, (_, i) => `${tag} line ${i}: the sergeant's joke again\n`).join('')))
const att = (u: Upload) => ({ id: u.id, token: u.token })

/** Files a sealed report naming `files`; the raw answer, and on success the row id and a reporter session. */
async function fileReport(inbox: Inbox, files: Upload[], attachments = files.map(att)) {
  const receipt = newReceipt()
  const sealed = sealReport(
    { categories: ['racism'], whatHappened: 'See the attached chat.', role: 'witness' },
    receipt,
    { ...publishKey(inbox.keys), inboxId: inbox.id },
    files.map((f) => f.ref),
  )
  const res = await json(`${server.url}/api/reports`, { body: { ...sealed, files: attachments } })
  const [row] = await db<{ id: string }>('SELECT id FROM reports WHERE locator = ?', [sealed.locator])
  return { res, row, receipt }
}
async function filed(inbox: Inbox, files: Upload[]): Promise<Filed> {
  const { res, row, receipt } = await fileReport(inbox, files)
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  return { id: row.id, receipt, token: await reporterToken(server.url, receipt) }
}
const fetchBlob = (id: string, auth: { token?: string; cookie?: string } = {}) =>
  fetch(`${server.url}/api/files/${id}`, {
    headers: { ...(auth.token ? { authorization: `Bearer ${auth.token}` } : {}), ...(auth.cookie ? { cookie: auth.cookie } : {}) },
  })

beforeAll(async () => {
  dataDir = tempDataDir('candour-uploads-')
  const offline = createInbox(dataDir, 'Independent Reviewer')
  server = await startServer({ dataDir, env: { FILE_MAX_MIB: '1', FILES_PER_MESSAGE: '3' } })
  other = { id: offline.id, keys: await loadInboxKeys(offline.keyFile) }
  const ada = await firstAdminWithKeys(server)
  cookie = ada.cookie
  mine = { id: ada.inboxId, keys: ada.inbox }
})

afterAll(async () => {
  await server?.stop()
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true })
})

describe('uploading in pieces', () => {
  it('takes pieces at the right offsets, accepts a retried piece, refuses a gap (409) and more than declared (413)', async () => {
    const plain = text(4000, 'pieces')
    const { ciphertext } = sealFile(plain)
    const made = await create(ciphertext.length)
    expect(made.status).toBe(201)
    expect(made.body.id).toMatch(/^[A-Za-z0-9_-]{22}$/)
    const { id, token } = made.body
    expect(await piece(id, token, 0, ciphertext.subarray(0, PIECE))).toEqual({ status: 200, body: { received: PIECE, complete: false } })
    // The answer was lost and the browser sends the same piece again: harmless.
    expect(await piece(id, token, 0, ciphertext.subarray(0, PIECE))).toEqual({ status: 200, body: { received: PIECE, complete: false } })
    const gap = await piece(id, token, PIECE + 1, ciphertext.subarray(PIECE + 1, PIECE + 10))
    expect(gap.status).toBe(409)
    expect(gap.body.error).toContain(`byte ${PIECE}`)
    const rest = await piece(id, token, PIECE, ciphertext.subarray(PIECE))
    expect(rest).toEqual({ status: 200, body: { received: ciphertext.length, complete: true } })
    expect((await piece(id, token, ciphertext.length, new Uint8Array(1))).status).toBe(413)
    expect(new Uint8Array(fs.readFileSync(blobFile(id)))).toEqual(ciphertext)
  })

  it('refuses a size that is not a bucket (400), a file over FILE_MAX_MIB (413), and a start without proof of work', async () => {
    expect((await create(1000)).status).toBe(400)
    // The server sees only padded sizes: the limit is the bucket a 1 MiB file pads to.
    const over = await create(bucketSize(paddedLength(1024 * 1024)))
    expect(over.status).toBe(413)
    expect(over.body.error).toBe('Files can be at most 1 MiB.')
    expect((await create(paddedLength(1024 * 1024))).status).toBe(201)
    const noProof = await json(`${server.url}/api/files`, { body: { paddedSize: 4096 }, proof: false })
    expect(noProof.status).toBe(400)
    expect(noProof.body.error).toMatch(/^pow/)
  })

  it('answers a wrong or missing token exactly as an unknown id: 404', async () => {
    const u = await upload(text(10, 'token'), 'x.txt', 0)
    const other = await upload(text(10, 'other'), 'y.txt', 0)
    const bytes = u.ciphertext.subarray(0, 100)
    const answers = await Promise.all([piece(u.id, other.token, 0, bytes), piece(u.id, undefined, 0, bytes), piece('A'.repeat(22), u.token, 0, bytes)])
    for (const a of answers) expect(a).toEqual({ status: 404, body: { error: 'This upload does not exist or is not yours.' } })
    expect(fs.statSync(blobFile(u.id)).size).toBe(0)
  })
})

describe('attaching and reading', () => {
  let report: Filed
  let files: Upload[]

  it('a report naming finished uploads is stored (201) with the blobs bound to it', async () => {
    files = [await upload(text(3000, 'chat'), 'WhatsApp Chat.txt'), await upload(text(5, 'note'), 'note.txt')]
    report = await filed(mine, files)
    const rows = await db(
      'SELECT id, report_id, token_hash FROM blobs WHERE id IN (?, ?) ORDER BY id',
      files.map((f) => f.id),
    )
    expect(rows.map((r) => [r.report_id, r.token_hash])).toEqual([
      [report.id, null],
      [report.id, null],
    ])
  })

  it("an unfinished upload, someone else's, or one already attached: 409 and the report is not stored", async () => {
    const unfinished = await upload(text(4000, 'half'), 'half.txt', PIECE)
    const finished = await upload(text(10, 'theirs'), 'theirs.txt')
    const stranger = await upload(text(10, 'stranger'), 'mine.txt')
    const before = await db('SELECT COUNT(*) AS n FROM reports')
    for (const [names, attachments] of [
      [[unfinished], [att(unfinished)]],
      [[finished], [{ id: finished.id, token: stranger.token }]],
      [[files[0]], [att(files[0])]],
    ] as Array<[Upload[], Array<{ id: string; token: string }>]>) {
      const { res, row } = await fileReport(mine, names, attachments)
      expect(res.status, JSON.stringify(res.body)).toBe(409)
      expect(res.body.error).toBe('A file has not finished uploading, or is not yours. Upload it again.')
      expect(row).toBeUndefined()
    }
    expect(await db('SELECT COUNT(*) AS n FROM reports')).toEqual(before)
    expect(await db('SELECT report_id FROM blobs WHERE id IN (?, ?, ?)', [unfinished.id, finished.id, stranger.id])).toEqual([
      { report_id: null },
      { report_id: null },
      { report_id: null },
    ])
  })

  it('more than FILES_PER_MESSAGE files: 400, nothing stored', async () => {
    const four = [] as Upload[]
    for (let i = 0; i < 4; i++) four.push(await upload(text(3, `four${i}`), `f${i}.txt`))
    const { res, row } = await fileReport(mine, four)
    expect(res.status).toBe(400)
    expect(res.body.error).toBe('At most 3 files can go with one message.')
    expect(row).toBeUndefined()
  })

  it('its reporter downloads the exact ciphertext and opens it; only inbox members may too', async () => {
    const [chat] = files
    const res = await fetchBlob(chat.id, { token: report.token })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/octet-stream')
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="sealed.bin"')
    const body = new Uint8Array(await res.arrayBuffer())
    expect(body).toEqual(chat.ciphertext)
    expect(Buffer.from(openFile(fromB64(chat.ref.key), body, chat.ref.size)).equals(Buffer.from(chat.plain))).toBe(true)

    const stranger = await filed(mine, [])
    const elsewhere = await filed(other, [await upload(text(10, 'elsewhere'), 'elsewhere.txt')])
    const [theirBlob] = await db<{ id: string }>('SELECT id FROM blobs WHERE report_id = ?', [elsewhere.id])
    expect((await fetchBlob(chat.id, { token: stranger.token })).status).toBe(404) // another reporter
    expect((await fetchBlob(theirBlob.id, { token: report.token })).status).toBe(404)
    const member = await fetchBlob(chat.id, { cookie })
    expect(member.status).toBe(200)
    expect(new Uint8Array(await member.arrayBuffer())).toEqual(chat.ciphertext)
    expect((await fetchBlob(theirBlob.id, { cookie })).status).toBe(404) // reviewer of another inbox
    expect((await fetchBlob('A'.repeat(22), { cookie })).status).toBe(404)
    const anonymous = await fetchBlob(chat.id)
    expect(anonymous.status).toBe(401)
    // An upload not yet attached is nobody's to read, not even with its token as a bearer.
    const loose = await upload(text(10, 'loose'), 'loose.txt')
    expect((await fetchBlob(loose.id, { token: loose.token })).status).toBe(401)
    expect((await fetchBlob(loose.id, { cookie })).status).toBe(404)
  })

  it('no blob on disk holds any slice of the plaintext', () => {
    const blobs = fs.readdirSync(path.join(dataDir, 'blobs')).map((f) => fs.readFileSync(blobFile(f)))
    for (const f of files)
      for (let at = 0; at + 32 <= f.plain.length; at += Math.max(32, Math.floor(f.plain.length / 50))) {
        const slice = Buffer.from(f.plain.subarray(at, at + 32))
        for (const b of blobs) expect(b.includes(slice)).toBe(false)
      }
  })

  it('blob files and their folder carry only the day, not the time of the upload', () => {
    const midnight = Date.parse(`${new Date().toISOString().slice(0, 10)}T00:00:00Z`)
    const dir = path.join(dataDir, 'blobs')
    for (const f of fs.readdirSync(dir)) expect(fs.statSync(blobFile(f)).mtimeMs, f).toBe(midnight)
    expect(fs.statSync(dir).mtimeMs).toBe(midnight)
  })

  it('a follow-up carries a file (/api/reporter/messages)', async () => {
    const extra = await upload(text(50, 'followup'), 'later.txt')
    const keys = deriveReporterKeys(normaliseReceipt(report.receipt))
    const envelope = sealFollowup('One more screenshot.', keys, toB64(mine.keys.encryption.publicKey), [extra.ref], null)
    const res = await json(`${server.url}/api/reporter/messages`, { token: report.token, body: { keyVersion: 1, envelope, files: [att(extra)] } })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    expect(await db('SELECT report_id FROM blobs WHERE id = ?', [extra.id])).toEqual([{ report_id: report.id }])
    const [msg] = await db<{ envelope: string }>("SELECT envelope FROM messages WHERE report_id = ? AND author_kind = 'reporter'", [report.id])
    const opened = openMessage(
      JSON.parse(msg.envelope) as Envelope,
      { as: 'inbox', inbox: mine.keys.encryption },
      { reporterSignPk: toB64(keys.sign.publicKey), inboxSignPk: '' },
    )
    expect(opened).toMatchObject({ kind: 'followup', verified: true, files: [extra.ref] })
    // The same upload cannot go with a second message.
    const again = await json(`${server.url}/api/reporter/messages`, { token: report.token, body: { keyVersion: 1, envelope, files: [att(extra)] } })
    expect(again.status).toBe(409)
  })

  it("a reviewer's reply carries a file (/api/review/triage/reply); the reporter opens it", async () => {
    const keys = deriveReporterKeys(normaliseReceipt(report.receipt))
    const sent = await upload(text(30, 'reply'), 'Guidance.txt')
    const envelope = sealReply({ text: 'Here is the guidance.', reviewer: 'Reviewer X', files: [sent.ref], chain: null }, mine.keys, toB64(keys.box.publicKey))
    const res = await post('/api/review/triage/reply', { reportId: report.id, keyVersion: 1, envelope, files: [att(sent)] })
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    const thread = await json(`${server.url}/api/reporter/thread`, { token: report.token })
    const view = openThreadAsReporter(thread.body, keys)
    const reply = view.messages.find((m) => m.author === 'reviewer')!
    expect(reply).toMatchObject({ verified: true, text: 'Here is the guidance.', files: [sent.ref] })
    const res2 = await fetchBlob(sent.id, { token: report.token })
    expect(res2.status).toBe(200)
    const opened = openFile(fromB64(reply.files[0].key), new Uint8Array(await res2.arrayBuffer()), reply.files[0].size)
    expect(Buffer.from(opened).equals(Buffer.from(sent.plain))).toBe(true)
    expect(view.files.map((f) => f.name)).toEqual(['WhatsApp Chat.txt', 'note.txt'])
  })

  it("an accepted withdrawal deletes the report's blob files from disk", async () => {
    const ids = (await db<{ id: string }>('SELECT id FROM blobs WHERE report_id = ?', [report.id])).map((r) => r.id)
    expect(ids).toHaveLength(4) // two with the report, one follow-up, one reply
    for (const id of ids) expect(fs.existsSync(blobFile(id))).toBe(true)
    expect((await json(`${server.url}/api/reporter/withdraw`, { token: report.token, body: { confirm: true } })).status).toBe(200)
    const res = await post('/api/review/triage/withdrawal', { reportId: report.id, decision: 'accept' })
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    for (const id of ids) expect(fs.existsSync(blobFile(id)), id).toBe(false)
    expect(await db('SELECT id FROM blobs WHERE report_id = ?', [report.id])).toEqual([])
  })
})

describe('sweeps', () => {
  it("retention deletes a closed report's blob files; uploads never attached go after a day", async () => {
    const kept = await filed(mine, [await upload(text(20, 'kept'), 'kept.txt')])
    const closing = await filed(mine, [await upload(text(20, 'closing'), 'closing.txt')])
    const orphan = await upload(text(20, 'orphan'), 'orphan.txt')
    const fresh = await upload(text(20, 'fresh'), 'fresh.txt')
    expect((await post('/api/review/triage/status', { reportId: closing.id, to: 'acknowledged' })).status).toBe(200)
    const close = await post('/api/review/triage/status', {
      reportId: closing.id,
      to: 'closed',
      outcome: 'action-taken',
      keyVersion: 1,
      reason: sealNote({ text: 'Dealt with', by: 'Ada' }, mine.keys),
    })
    expect(close.status, JSON.stringify(close.body)).toBe(200)
    const blobOf = async (reportId: string) => (await db<{ id: string }>('SELECT id FROM blobs WHERE report_id = ?', [reportId]))[0].id
    const keptBlob = await blobOf(kept.id)
    const closedBlob = await blobOf(closing.id)

    // Run the clock forward: the report closed long ago, the orphan began two days ago. The
    // server sweeps when it starts.
    await server.stop()
    const old = new Date(Date.now() - (FILE_LIMITS.orphanDays + 1) * 86_400_000).toISOString().slice(0, 10)
    await db("UPDATE reports SET closed_day = '2000-01-01' WHERE id = ?", [closing.id])
    await db('UPDATE blobs SET created_day = ? WHERE id = ?', [old, orphan.id])
    const before = server.output()
    server = await startServer({ dataDir, env: { FILE_MAX_MIB: '1', FILES_PER_MESSAGE: '3' } })
    for (let i = 0; i < 100 && fs.existsSync(blobFile(closedBlob)); i++) await new Promise((r) => setTimeout(r, 100))
    for (let i = 0; i < 100 && fs.existsSync(blobFile(orphan.id)); i++) await new Promise((r) => setTimeout(r, 100))
    expect(fs.existsSync(blobFile(closedBlob))).toBe(false)
    expect(fs.existsSync(blobFile(orphan.id))).toBe(false)
    expect(fs.existsSync(blobFile(keptBlob))).toBe(true)
    expect(fs.existsSync(blobFile(fresh.id))).toBe(true)
    const rows = await db<{ id: string }>('SELECT id FROM blobs')
    expect(rows.map((r) => r.id)).not.toContain(orphan.id)
    expect(rows.map((r) => r.id)).toContain(fresh.id)
    expect(errorLines(before + server.output())).toEqual([])
  })
})
