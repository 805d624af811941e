import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { deriveReporterKeys, openThreadAsReporter, sealFollowup, sealNote, sealReply, toB64, type InboxKeys } from '../../crypto/index'
import { sealFile } from '../../crypto/files'
import { normaliseReceipt } from '../../crypto/receipt'
import { json, postForm, reporterToken, visibleText } from '../support/http'
import { firstAdminWithKeys, reviewApi, sqlAll } from '../support/review-api'
import { sealedSubmission } from '../support/seal'
import { startServer, type RunningServer } from '../support/server'

/**
 * A full disk: the server's DATA_DIR is a small tmpfs (CI runs as root), filled to the last
 * byte. Every write (JS and no-JS report, follow-up, reply, note, status change, upload) answers
 * a clear 503 in words and stores nothing; what was acknowledged before is all there; the
 * database passes integrity_check; and once space is freed everything works again.
 */
const MOUNT = fs.mkdtempSync(path.join(os.tmpdir(), 'candour-full-'))
let mounted = false
let server: RunningServer
let cookie = ''
let inboxId = ''
let inbox: InboxKeys
const api = reviewApi(() => server.url)
const answers = (what: string) => ({ categories: ['bullying'], whatHappened: what, when: '', where: '', who: '', role: '', contact: '' })
const db = <T = any>(sql: string, params: unknown[] = []) => sqlAll<T>(server.dbFile, sql, params)
const FILLER = path.join(MOUNT, 'filler')

type Acked = { receipt: string; reportId: string; followups: string[]; replies: string[] }
const acked: Acked[] = []

async function fileReport(what: string) {
  const { receipt, body } = await sealedSubmission(inboxId, inbox, answers(what))
  const res = await json(`${server.url}/api/reports`, { body })
  return { res, receipt, locator: body.locator }
}

/**
 * Fills the tmpfs to its last byte: writes until ENOSPC, then tops up the last few bytes. First
 * waits for the WAL to be emptied (it is once writes go quiet): SQLite reuses WAL space it already
 * has, so a write that fits there is not refused, and is durable.
 */
async function fill() {
  const wal = `${server.dbFile}-wal`
  for (let waited = 0; fs.statSync(wal, { throwIfNoEntry: false })?.size && waited < 10_000; waited += 100) await new Promise((r) => setTimeout(r, 100))
  expect(fs.statSync(wal, { throwIfNoEntry: false })?.size ?? 0).toBe(0)
  const fd = fs.openSync(FILLER, 'a')
  try {
    for (const size of [1 << 20, 1 << 16, 1 << 12, 1 << 8, 1])
      for (;;)
        try {
          fs.writeSync(fd, Buffer.alloc(size))
        } catch {
          break
        }
  } finally {
    fs.closeSync(fd)
  }
}

function free() {
  fs.rmSync(FILLER, { force: true })
}

/** Every thing a reporter and a reviewer can write, each with what it answered. */
async function everyWrite(tag: string) {
  const out: Record<string, { status: number; text: string }> = {}
  const put = (k: string, status: number, body: unknown) => (out[k] = { status, text: typeof body === 'string' ? visibleText(body) : JSON.stringify(body) })
  const report = await fileReport(`${tag}: JS report`)
  put('js report', report.res.status, report.res.body)

  const nojs = await postForm(`${server.url}/report`, [
    ['intent', 'send'],
    ['inboxId', inboxId],
    ['categories', 'racism'],
    ['whatHappened', `${tag}: no-JS report`],
    ['receipt', ''],
  ])
  put('no-JS report', nojs.status, nojs.html)

  const first = acked[0]
  const token = await reporterToken(server.url, first.receipt)
  const keys = deriveReporterKeys(normaliseReceipt(first.receipt))
  const followup = await json(`${server.url}/api/reporter/messages`, {
    token,
    body: { keyVersion: 1, envelope: sealFollowup(`${tag}: follow-up`, keys, toB64(inbox.encryption.publicKey), [], null) },
  })
  put('follow-up', followup.status, followup.body)

  const nojsFollowup = await postForm(`${server.url}/check`, [
    ['intent', 'followup'],
    ['receipt', first.receipt],
    ['message', `${tag}: no-JS follow-up`],
  ])
  put('no-JS follow-up', nojsFollowup.status, nojsFollowup.html)

  const reply = await api.post(
    '/api/review/triage/reply',
    {
      reportId: first.reportId,
      keyVersion: 1,
      envelope: sealReply({ text: `${tag}: reply`, reviewer: 'Reviewer R', chain: null }, inbox, toB64(keys.box.publicKey)),
    },
    cookie,
  )
  put('reply', reply.status, reply.body)

  const note = await api.post(
    '/api/review/triage/note',
    { reportId: first.reportId, keyVersion: 1, envelope: sealNote({ text: `${tag}: note`, by: 'Ada' }, inbox) },
    cookie,
  )
  put('note', note.status, note.body)

  const status = await api.post('/api/review/triage/status', { reportId: acked[tag === 'Full' ? 1 : 2].reportId, to: 'acknowledged' }, cookie)
  put('status change', status.status, status.body)

  const { ciphertext } = sealFile(new Uint8Array(Buffer.from(`${tag}: evidence bytes\n`.repeat(200))))
  const made = await json(`${server.url}/api/files`, { body: { paddedSize: ciphertext.length } })
  put('upload start', made.status, made.body)
  if (made.status === 201) {
    const res = await fetch(`${server.url}/api/files/${made.body.id}?offset=0`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream', authorization: `Bearer ${made.body.token}` },
      body: Buffer.from(ciphertext),
    })
    put('upload piece', res.status, await res.text())
  }

  const form = new FormData()
  for (const [k, v] of [
    ['intent', 'review'],
    ['inboxId', inboxId],
    ['categories', 'racism'],
    ['whatHappened', `${tag}: no-JS with a file`],
  ])
    form.append(k, v)
  form.append('files', new Blob([Buffer.from(`${tag}: no-JS evidence\n`.repeat(500))], { type: 'text/plain' }), 'note.txt')
  const multipart = await fetch(`${server.url}/report`, { method: 'POST', body: form })
  put('no-JS upload', multipart.status, await multipart.text())
  return { out, report, token, keys }
}

async function tables() {
  const counts: Record<string, number> = {}
  for (const t of ['reports', 'messages', 'blobs', 'audit_log']) counts[t] = (await db<{ n: number }>(`SELECT COUNT(*) AS n FROM ${t}`))[0].n
  return counts
}

/** Blob files and rows agree: no file without a row, no row whose file is shorter than received. */
async function blobsWhole() {
  const rows = await db<{ id: string; received: number }>('SELECT id, received FROM blobs')
  const files = fs.readdirSync(path.join(MOUNT, 'blobs')).sort()
  expect(files).toEqual(rows.map((r) => r.id).sort())
  for (const r of rows) expect(fs.statSync(path.join(MOUNT, 'blobs', r.id)).size).toBeGreaterThanOrEqual(r.received)
}

beforeAll(async () => {
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=24m,mode=0700', 'tmpfs', MOUNT])
  mounted = true
  server = await startServer({ dataDir: MOUNT, env: { FILE_MAX_MIB: '1', UPLOAD_MIN_FREE_MIB: '0' } })
  const ada = await firstAdminWithKeys(server, { api })
  ;({ cookie, inboxId, inbox } = ada)
  for (let i = 0; i < 3; i++) {
    const r = await fileReport(`Before the disk filled ${i}`)
    expect(r.res.status).toBe(201)
    const [row] = await db<{ id: string }>('SELECT id FROM reports WHERE locator = ?', [r.locator])
    acked.push({ receipt: r.receipt, reportId: row.id, followups: [], replies: [] })
  }
}, 120_000)

afterAll(async () => {
  await server?.stop()
  if (mounted) execFileSync('umount', [MOUNT])
  fs.rmSync(MOUNT, { recursive: true, force: true })
})

describe('a full disk', () => {
  it('every write answers a clear 503 in words and stores nothing', async () => {
    const before = await tables()
    await fill()
    const { out } = await everyWrite('Full')
    for (const [what, r] of Object.entries(out)) {
      expect(r.status, `${what}: ${r.text.slice(0, 300)}`).toBe(503)
      expect(r.text, what).toMatch(/storage|space/i)
      expect(r.text, what).toMatch(/nothing was (saved|sent)/i)
    }
    expect(await tables()).toEqual(before)
    expect(errorLinesOf(server.output())).toEqual([])
  })

  it('reading still works while it is full, and nothing acknowledged is lost', async () => {
    for (const a of acked) {
      const token = await reporterToken(server.url, a.receipt)
      const thread = await json(`${server.url}/api/reporter/thread`, { token })
      expect(thread.status).toBe(200)
      const view = openThreadAsReporter(thread.body, deriveReporterKeys(normaliseReceipt(a.receipt)))
      expect((view.answers as { whatHappened: string }).whatHappened).toMatch(/^Before the disk filled/)
    }
    const [check] = await db<{ integrity_check: string }>('PRAGMA integrity_check')
    expect(check.integrity_check).toBe('ok')
    await blobsWhole()
  })

  it('once space is freed, every write works again', async () => {
    free()
    const before = await tables()
    const { out } = await everyWrite('Freed')
    for (const [what, r] of Object.entries(out)) expect(r.status, `${what}: ${r.text.slice(0, 300)}`).toBeLessThan(300)
    const after = await tables()
    expect(after.reports).toBe(before.reports + 2)
    expect(after.messages).toBe(before.messages + 4)
    const [check] = await db<{ integrity_check: string }>('PRAGMA integrity_check')
    expect(check.integrity_check).toBe('ok')
    await blobsWhole()
  })
})

/** Error-level lines: a full disk is a known condition, answered in words, not an unhandled error. */
function errorLinesOf(output: string) {
  return output.split('\n').filter((l) => /"level":(?:50|60)[,}]/.test(l))
}
