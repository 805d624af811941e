import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { newReceipt, paddedLength, publishKey, sealReport, toB64, type InboxKeys } from '../../crypto/index'
import { sealFile } from '../../crypto/files'
import { FILE_LIMITS } from '#common/limits'
import { json, loadInboxKeys, receiptFromPage, seeOther, visibleText } from '../support/http'
import { sqlAll } from '../support/review-api'
import { createInbox, errorLines, startServer, tempDataDir, type RunningServer } from '../support/server'

/**
 * What uploads cost (decision 20), against the real server: a byte budget for files sent without
 * JavaScript, a daily quota of unsent bytes, a free-disk floor, clear 503s on a full disk, files
 * posted without JavaScript kept only until the report is sent, and any upload id answered 4xx.
 * Each rule runs on its own server with small limits.
 */
const MIB = 1024 * 1024
type Server = RunningServer & { inbox: { id: string; keys: InboxKeys } }
const started: Server[] = []

async function serve(env: Record<string, string>, dataDir = tempDataDir('candour-budgets-')): Promise<Server> {
  const created = createInbox(dataDir)
  const s = Object.assign(await startServer({ dataDir, env }), { inbox: { id: created.id, keys: await loadInboxKeys(created.keyFile) } })
  started.push(s)
  return s
}
afterAll(async () => {
  for (const s of started) await s.stop()
  for (const s of started) fs.rmSync(s.dataDir, { recursive: true, force: true })
  for (const s of started) expect(errorLines(s.output()), s.output().slice(-2000)).toEqual([])
})

const db = <T = any>(s: Server, sql: string, params: unknown[] = []) => sqlAll<T>(s.dbFile, sql, params)
const blobFiles = (s: Server) => fs.readdirSync(path.join(s.dataDir, 'blobs')).sort()
const unattached = async (s: Server) => (await db<{ n: number }>(s, 'SELECT COUNT(*) AS n FROM blobs WHERE report_id IS NULL'))[0].n

type Part = string | { name: string; bytes: Uint8Array }
async function post(s: Server, where: '/report' | '/check', fields: Array<[string, Part]>) {
  const fd = new FormData()
  for (const [k, v] of fields) {
    if (typeof v === 'string') fd.append(k, v)
    else fd.append(k, new Blob([Buffer.from(v.bytes)], { type: 'application/octet-stream' }), v.name)
  }
  const res = await seeOther(`${s.url}${where}`, await fetch(`${s.url}${where}`, { method: 'POST', body: fd, redirect: 'manual' }))
  return { status: res.status, html: res.html, text: visibleText(res.html) }
}
const answers = (s: Server, intent: string): Array<[string, Part]> => [
  ['intent', intent],
  ['inboxId', s.inbox.id],
  ['categories', 'racism'],
  ['whatHappened', 'A recording of the briefing is attached.'],
]
const file = (name: string, size: number): [string, Part] => ['files', { name, bytes: new Uint8Array(randomBytes(size)) }]

const decode = (v: string) =>
  v
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
/** The hidden fields a page carries to its next step, as a browser would post them. */
const hiddenFields = (html: string): Array<[string, string]> =>
  [...html.matchAll(/<input(?=[^>]*type="hidden")[^>]*>/g)].map((m) => [
    decode(m[0].match(/name="([^"]*)"/)?.[1] ?? ''),
    decode(m[0].match(/value="([^"]*)"/)?.[1] ?? ''),
  ])

const create = async (s: Server, paddedSize: number) => json(`${s.url}/api/files`, { body: { paddedSize } })
async function piece(s: Server, id: string, token: string, offset: number, bytes: Uint8Array) {
  const res = await fetch(`${s.url}/api/files/${id}?offset=${offset}`, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream', authorization: `Bearer ${token}` },
    body: Buffer.from(bytes),
  })
  return { status: res.status, body: (await res.json()) as any }
}
/** A whole JS upload of `size` random bytes, sealed as the browser seals it. */
async function uploadJs(s: Server, size: number) {
  const plain = new Uint8Array(randomBytes(size))
  const { key, ciphertext } = sealFile(plain)
  const made = await create(s, ciphertext.length)
  expect(made.status, JSON.stringify(made.body)).toBe(201)
  for (let at = 0; at < ciphertext.length; at += FILE_LIMITS.uploadRequestBytes)
    expect((await piece(s, made.body.id, made.body.token, at, ciphertext.subarray(at, at + FILE_LIMITS.uploadRequestBytes))).status).toBe(200)
  return {
    id: made.body.id as string,
    token: made.body.token as string,
    ref: { id: made.body.id, name: 'clip.bin', type: 'application/octet-stream', size, key: toB64(key) },
  }
}

describe('every upload id answers 4xx and logs nothing', () => {
  let s: Server
  beforeAll(async () => (s = await serve({})))

  it('short, long, odd and encoded ids on /api/files/<id> are 404, never a 500 or an error line', async () => {
    const mark = s.output().length
    for (const id of ['abc', 'A'.repeat(23), 'A'.repeat(21) + '!', '..%2F..%2Fcandour.sqlite', '%00', 'A'.repeat(200)]) {
      const res = await fetch(`${s.url}/api/files/${id}?offset=0`, {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream', authorization: `Bearer ${'x'.repeat(43)}` },
        body: Buffer.from('hello'),
      })
      expect(res.status, id).toBeGreaterThanOrEqual(400)
      expect(res.status, id).toBeLessThan(500)
      await res.text()
    }
    await new Promise((r) => setTimeout(r, 100))
    const log = s.output().slice(mark)
    expect(errorLines(log)).toEqual([])
    expect(log).not.toMatch(/ZodError|unknown file/)
  })
})

describe('the no-JS byte budget', () => {
  let s: Server
  beforeAll(async () => (s = await serve({ FILE_MAX_MIB: '2', NOJS_UPLOAD_BURST_MIB: '2', NOJS_UPLOAD_MIB_PER_HOUR: '1' })))

  it('files posted without JavaScript spend one shared budget of bytes; past it, a 429 and nothing kept', async () => {
    const first = await post(s, '/report', [...answers(s, 'review'), file('first.m4a', 1.5 * MIB)])
    expect(first.status, first.text.slice(0, 300)).toBe(200)
    expect(first.text).toContain('first.m4a')
    const files = blobFiles(s)
    const rows = await unattached(s)
    const second = await post(s, '/report', [...answers(s, 'review'), file('second.m4a', 1.5 * MIB)])
    expect(second.status).toBe(429)
    expect(second.text).toContain('Candour is receiving too many files sent without JavaScript right now. Nothing was sent.')
    expect(blobFiles(s)).toEqual(files)
    expect(await unattached(s)).toBe(rows)
    // Words alone still go, and so do uploads with JavaScript, which pay with proof of work.
    expect((await post(s, '/report', answers(s, 'review'))).status).toBe(200)
    expect((await create(s, paddedLength(MIB))).status).toBe(201)
  })
})

describe('the daily quota of unsent upload bytes', () => {
  let s: Server
  beforeAll(async () => (s = await serve({ FILE_MAX_MIB: '2', UPLOAD_UNSENT_MIB_PER_DAY: '3' })))

  it('uploads not yet sent count against it, with JS at the start and without as they stream; sending frees it', async () => {
    const a = await uploadJs(s, MIB)
    const b = await uploadJs(s, MIB)
    const third = await create(s, paddedLength(MIB))
    expect(third.status).toBe(429)
    expect(third.body.error).toMatch(/^Candour cannot take more files today: 3 MiB of files are already waiting to be sent with a report.*Nothing was sent\./)
    const files = blobFiles(s)
    const noJs = await post(s, '/report', [...answers(s, 'review'), file('third.m4a', 1.5 * MIB)])
    expect(noJs.status).toBe(429)
    expect(noJs.text).toContain('Candour cannot take more files today')
    expect(blobFiles(s)).toEqual(files)
    // Sent with a report, a and b are no longer waiting: the quota has room again.
    const sealed = sealReport({ categories: ['racism'], whatHappened: 'See the clips.' }, newReceipt(), { ...publishKey(s.inbox.keys), inboxId: s.inbox.id }, [
      a.ref,
      b.ref,
    ])
    const filed = await json(`${s.url}/api/reports`, { body: { ...sealed, files: [a, b].map(({ id, token }) => ({ id, token })) } })
    expect(filed.status, JSON.stringify(filed.body)).toBe(201)
    expect((await create(s, paddedLength(MIB))).status).toBe(201)
  })
})

describe('the free-disk floor', () => {
  let s: Server
  // A floor no disk here reaches: every upload is refused before anything is written.
  beforeAll(async () => (s = await serve({ UPLOAD_MIN_FREE_MIB: '100000000' })))

  it('uploads are refused with a 503 in words, with and without JavaScript; nothing is written', async () => {
    const js = await create(s, paddedLength(1000))
    expect(js.status).toBe(503)
    expect(js.body.error).toMatch(/^Candour is short of storage space, so it cannot take files right now\. Nothing was sent\./)
    const noJs = await post(s, '/report', [...answers(s, 'review'), file('clip.m4a', 10_000)])
    expect(noJs.status).toBe(503)
    expect(noJs.text).toContain('Candour is short of storage space')
    expect(blobFiles(s)).toEqual([])
    expect(await unattached(s)).toBe(0)
    // A report without files still goes.
    const words = await post(s, '/report', answers(s, 'send'))
    expect(words.status).toBe(200)
    expect(receiptFromPage(words.html)).toBeTruthy()
  })
})

describe('files posted without JavaScript are kept only until the report is sent', () => {
  let s: Server
  const env = { NOJS_FILES_KEEP_MINUTES: '0.05' } // three seconds

  beforeAll(async () => (s = await serve(env)))

  it('the pages say how long; unsent, they are deleted soon, and Send then says so and keeps the answers', async () => {
    const review = await post(s, '/report', [...answers(s, 'review'), file('briefing.m4a', 5000)])
    expect(review.status).toBe(200)
    expect(review.text).toContain('deleted if your report is not sent within 1 minute of choosing them')
    expect(await unattached(s)).toBe(1)
    await waitFor(async () => (await unattached(s)) === 0)
    expect(blobFiles(s)).toEqual([])
    const send = hiddenFields(review.html).filter(([k]) => k !== 'intent')
    const late = await post(s, '/report', [['intent', 'send'], ...send])
    expect(late.status).toBe(200)
    expect(late.text).toContain('"briefing.m4a" was deleted because your report was not sent within 1 minute of choosing it. Nothing was sent.')
    expect(late.text).toContain('A recording of the briefing is attached.')
    expect(await db(s, 'SELECT COUNT(*) AS n FROM reports')).toEqual([{ n: 0 }])
    const sent = await post(s, '/report', [['intent', 'send'], ...hiddenFields(late.html).filter(([k]) => k !== 'intent')])
    expect(receiptFromPage(sent.html)).toBeTruthy()
    expect(await db(s, 'SELECT COUNT(*) AS n FROM reports')).toEqual([{ n: 1 }])
  })

  it('after a restart, unsent no-JS files are deleted at once; JS uploads stay for the day sweep', async () => {
    await s.stop()
    s = Object.assign(await startServer({ dataDir: s.dataDir, env: { NOJS_FILES_KEEP_MINUTES: '60' } }), { inbox: s.inbox })
    started.push(s)
    const review = await post(s, '/report', [...answers(s, 'review'), file('kept.m4a', 5000)])
    expect(review.text).toContain('within 60 minutes')
    const js = await create(s, paddedLength(1000))
    expect(js.status).toBe(201)
    expect(await unattached(s)).toBe(2)
    await s.stop()
    s = Object.assign(await startServer({ dataDir: s.dataDir, env }), { inbox: s.inbox })
    started.push(s)
    expect(await db(s, 'SELECT id FROM blobs WHERE report_id IS NULL')).toEqual([{ id: js.body.id }])
    expect(blobFiles(s)).toEqual([js.body.id])
  })
})

async function waitFor(ok: () => Promise<boolean>, ms = 10_000) {
  for (const until = Date.now() + ms; Date.now() < until; await new Promise((r) => setTimeout(r, 200))) if (await ok()) return
  throw new Error('timed out waiting')
}

/** A real full disk: DATA_DIR on a 12 MiB tmpfs (needs root to mount; skipped otherwise). */
const tmpfs = (() => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'candour-full-'))
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=12m,mode=0700', 'tmpfs', dir], { stdio: 'ignore' })
    return dir
  } catch {
    fs.rmSync(dir, { recursive: true, force: true })
    return undefined
  }
})()

describe.skipIf(!tmpfs)('a disk that fills up mid-write', () => {
  let s: Server
  beforeAll(async () => (s = await serve({ UPLOAD_MIN_FREE_MIB: '0', FILE_MAX_MIB: '32' }, tmpfs)))
  afterAll(async () => {
    await s.stop()
    execFileSync('umount', [tmpfs!])
    fs.rmSync(tmpfs!, { recursive: true, force: true })
  })

  it('without JavaScript: a 503 in words, and no half-written file or row is left', async () => {
    const res = await post(s, '/report', [...answers(s, 'review'), file('too-big.mov', 20 * MIB)])
    expect(res.status).toBe(503)
    expect(res.text).toContain('Candour is short of storage space, so it cannot take files right now. Nothing was sent.')
    expect(blobFiles(s)).toEqual([])
    expect(await db(s, 'SELECT COUNT(*) AS n FROM blobs')).toEqual([{ n: 0 }])
    // The space is back: a small file goes.
    const small = await post(s, '/report', [...answers(s, 'review'), file('small.m4a', 5000)])
    expect(small.status).toBe(200)
    expect(blobFiles(s)).toHaveLength(1)
  })

  it('with JavaScript: the piece that does not fit is a 503 in words, and the file holds only what was confirmed', async () => {
    const { ciphertext } = sealFile(new Uint8Array(randomBytes(20 * MIB)))
    const made = await create(s, ciphertext.length)
    expect(made.status).toBe(201)
    let confirmed = 0
    let refused: { status: number; body: any } | undefined
    for (let at = 0; at < ciphertext.length && !refused; at += FILE_LIMITS.uploadRequestBytes) {
      const r = await piece(s, made.body.id, made.body.token, at, ciphertext.subarray(at, at + FILE_LIMITS.uploadRequestBytes))
      if (r.status === 200) confirmed = r.body.received
      else refused = r
    }
    expect(refused?.status).toBe(503)
    expect(refused?.body.error).toMatch(/^Candour is short of storage space/)
    expect(confirmed).toBeGreaterThan(0)
    expect(fs.statSync(path.join(s.dataDir, 'blobs', made.body.id)).size).toBe(confirmed)
    expect(await db(s, 'SELECT received FROM blobs WHERE id = ?', [made.body.id])).toEqual([{ received: confirmed }])
  })
})
