import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { deriveReporterKeys, sealFollowup, toB64, type InboxKeys } from '../../crypto/index'
import { normaliseReceipt } from '../../crypto/receipt'
import { json, reporterToken } from '../support/http'
import { firstAdminWithKeys, reviewApi, sqlAll } from '../support/review-api'
import { sealedSubmission } from '../support/seal'
import { diskBytes, errorLines, startServer, tempDataDir, type RunningServer } from '../support/server'

/**
 * An admin deleting a report or one message for good (ADR 0019), through the real server: the
 * rows and files go and the database is rebuilt, the reason is audited from a fixed list, a
 * deleted newest message leaves no read mark past the thread, and every refusal changes nothing.
 * Who may ask is the authorisation matrix's business (tests/integration/authz-matrix.test.ts).
 */
let server: RunningServer
let cookie = ''
let inboxId = ''
let inbox: InboxKeys
const api = reviewApi(() => server.url)
const db = <T = any>(sql: string, params: unknown[] = []) => sqlAll<T>(server.dbFile, sql, params)
const count = async (sql: string, params: unknown[] = []) => (await db<{ n: number }>(sql, params))[0].n

async function file() {
  const { receipt, body } = await sealedSubmission(inboxId, inbox, {
    categories: ['racism'],
    whatHappened: 'Seen at the desk',
    when: '',
    where: '',
    who: '',
    role: 'witness',
    contact: '',
  })
  expect((await json(`${server.url}/api/reports`, { body })).status).toBe(201)
  const [row] = await db<{ id: string }>('SELECT id FROM reports WHERE locator = ?', [body.locator])
  return { id: row.id, receipt, token: await reporterToken(server.url, receipt), envelope: body.envelope }
}

async function followup(r: { receipt: string; token: string }, text: string, files?: Array<{ id: string; token: string }>) {
  const envelope = sealFollowup(text, deriveReporterKeys(normaliseReceipt(r.receipt)), toB64(inbox.encryption.publicKey), [], null)
  const res = await json(`${server.url}/api/reporter/messages`, { token: r.token, body: { keyVersion: 1, envelope, ...(files ? { files } : {}) } })
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  return envelope
}

/** A finished upload (random ciphertext: only its bytes on disk matter here). */
async function upload() {
  const up = await json(`${server.url}/api/files`, { body: { paddedSize: 1024 } })
  expect(up.status).toBe(201)
  const put = await fetch(`${server.url}/api/files/${up.body.id}?offset=0`, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream', authorization: `Bearer ${up.body.token}` },
    body: randomBytes(1024),
  })
  expect(put.status).toBe(200)
  return { id: up.body.id as string, token: up.body.token as string }
}

beforeAll(async () => {
  server = await startServer({ dataDir: tempDataDir('candour-deletions-') })
  ;({ cookie, inboxId, inbox } = await firstAdminWithKeys(server, { api }))
}, 120_000)

afterAll(async () => {
  await server?.stop()
  if (server) fs.rmSync(server.dataDir, { recursive: true, force: true })
})

describe('an admin deletes what nobody can read', () => {
  it('a report goes whole: its row, messages, read marks and files, from the database file too; the reason is audited', async () => {
    const r = await file()
    const blob = await upload()
    const later = await followup(r, 'with a file', [blob])
    expect((await api.post('/api/review/triage/open', { reportId: r.id }, cookie)).status).toBe(200)
    expect(fs.existsSync(path.join(server.dataDir, 'blobs', blob.id))).toBe(true)

    const res = await api.post('/api/review/triage/delete-report', { reportId: r.id, reason: 'duplicate' }, cookie)
    expect(res).toMatchObject({ status: 200, body: { deleted: true } })
    for (const table of ['reports', 'messages', 'report_reads', 'blobs'])
      expect(await count(`SELECT COUNT(*) AS n FROM ${table} WHERE ${table === 'reports' ? 'id' : 'report_id'} = ?`, [r.id]), table).toBe(0)
    expect(fs.existsSync(path.join(server.dataDir, 'blobs', blob.id))).toBe(false)
    const [audit] = await db<{ action: string; detail: string; actor: string }>(
      "SELECT action, detail, actor FROM audit_log WHERE subject = ? AND action = 'report.delete'",
      [r.id],
    )
    expect(JSON.parse(audit.detail)).toEqual({ reason: 'duplicate' })
    expect(audit.actor).toMatch(/^reviewer:/)
    // secure_delete and the rebuild leave no ciphertext of the report behind.
    const disk = diskBytes(server.dataDir)
    for (const sealed of [r.envelope.body, later.body]) expect(disk).not.toContain(sealed.slice(100, 160))
  })

  it('one message goes, the rest of its thread stays; read marks never point past the thread, so the next message is unread', async () => {
    const r = await file()
    const kept = [await followup(r, 'one'), await followup(r, 'two')]
    const gone = await followup(r, 'three')
    expect((await api.post('/api/review/triage/open', { reportId: r.id }, cookie)).status).toBe(200)
    expect(await count('SELECT seen_seq AS n FROM report_reads WHERE report_id = ?', [r.id])).toBe(3)

    const res = await api.post('/api/review/triage/delete-message', { reportId: r.id, seq: 3, reason: 'unreadable' }, cookie)
    expect(res).toMatchObject({ status: 200, body: { deleted: true } })
    expect((await db<{ seq: number }>('SELECT seq FROM messages WHERE report_id = ? ORDER BY seq', [r.id])).map((m) => m.seq)).toEqual([1, 2])
    expect(await count('SELECT seen_seq AS n FROM report_reads WHERE report_id = ?', [r.id])).toBe(2)
    const [audit] = await db<{ detail: string }>("SELECT detail FROM audit_log WHERE subject = ? AND action = 'message.delete'", [r.id])
    expect(JSON.parse(audit.detail)).toEqual({ reason: 'unreadable', seq: 3 })
    const disk = diskBytes(server.dataDir)
    expect(disk).not.toContain(gone.body.slice(100, 160))
    for (const k of kept) expect(disk).toContain(k.body.slice(100, 160))

    // The reporter's next message takes number 3 again, and counts as unread.
    await followup(r, 'four')
    const list = await api.post('/api/review/triage/list', {}, cookie)
    expect(list.body.reports.find((x: { id: string }) => x.id === r.id)).toMatchObject({ unread: true, messageCount: 3 })
    // The deletion is in the report's trail, by name.
    const opened = await api.post('/api/review/triage/open', { reportId: r.id }, cookie)
    expect(opened.body.trail.map((t: { action: string }) => t.action)).toContain('message.delete')
  })

  it('refuses a message that is not there, a reason off the list and free text, changing nothing', async () => {
    const r = await file()
    await followup(r, 'stays')
    const before = await count('SELECT COUNT(*) AS n FROM audit_log')
    const refusals: Array<[string, unknown, number]> = [
      ['/api/review/triage/delete-message', { reportId: r.id, seq: 9, reason: 'junk' }, 404],
      ['/api/review/triage/delete-message', { reportId: r.id, seq: 1, reason: 'spite' }, 400],
      ['/api/review/triage/delete-message', { reportId: r.id, seq: 1, reason: 'junk', note: 'free text about the reporter' }, 400],
      ['/api/review/triage/delete-message', { reportId: r.id, seq: 0, reason: 'junk' }, 400],
      ['/api/review/triage/delete-report', { reportId: r.id, reason: 'It was rubbish, sent by PC Jones' }, 400],
      ['/api/review/triage/delete-report', { reportId: 'A'.repeat(22), reason: 'junk' }, 404],
    ]
    for (const [route, body, status] of refusals) expect((await api.post(route, body, cookie)).status, JSON.stringify(body)).toBe(status)
    expect(await count('SELECT COUNT(*) AS n FROM messages WHERE report_id = ?', [r.id])).toBe(1)
    expect(await count('SELECT COUNT(*) AS n FROM reports WHERE id = ?', [r.id])).toBe(1)
    expect(await count('SELECT COUNT(*) AS n FROM audit_log')).toBe(before)
  })

  it('answered nothing with a 5xx and logged no error', () => {
    expect(api.statuses.filter(([, s]) => s >= 500)).toEqual([])
    expect(errorLines(server.output())).toEqual([])
  })
})
