import fs from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  deriveReporterKeys,
  logKey,
  newInboxKeys,
  publishKey,
  sealFollowup,
  sealNote,
  sealReply,
  sealSecretTo,
  toB64,
  type InboxKeys,
} from '../../crypto/index'
import { normaliseReceipt } from '../../crypto/receipt'
import { migrate } from '../../server/db/migrate.server'
import { Store } from '../../server/db/store.server'
import { retentionService } from '../../server/retention.server'
import { blobService } from '../../server/blobs.server'
import { type Status } from '#common/triage-rules'
import { addDays } from '#common/days'
import { json, postForm, reporterToken, todayUtc, visibleText } from '../support/http'
import { firstAdminWithKeys, reviewApi, sqlAll } from '../support/review-api'
import { sealedSubmission } from '../support/seal'
import { admin, diskBytes, startServer, tempDataDir, type RunningServer } from '../support/server'
import { softPasskey } from '../support/soft-passkey'

/**
 * A test that runs the clock forward: reports are filed and closed through the real server, the
 * server stops, and the sweep runs on the same SQLite file for days computed with addDays. Then
 * the server starts again on that data directory and the deleted report is gone for everyone.
 */
type Filed = { id: string; receipt: string }
let server: RunningServer
let dataDir = ''
let cookie = ''
let passkey: ReturnType<typeof softPasskey>
let A: { id: string; keys: InboxKeys } // keeps closed reports 365 days (the default)
let B: { id: string; keys: InboxKeys } // keeps them 30 days
const filed = {} as Record<'closedA' | 'openA' | 'closedB' | 'reopenedB' | 'openB', Filed>
const api = reviewApi(() => server.url)
const post = (path: string, body: unknown) => api.post(path, body, cookie)
const db = <T = any>(sql: string, params: unknown[] = []) => sqlAll<T>(server.dbFile, sql, params)
const closedOn = todayUtc()

async function file(inbox: { id: string; keys: InboxKeys }, whatHappened = 'Seen at the desk'): Promise<Filed> {
  const { receipt, body } = await sealedSubmission(inbox.id, inbox.keys, { categories: ['racism'], whatHappened, role: 'witness' })
  const res = await json(`${server.url}/api/reports`, { body })
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  const [row] = await db<{ id: string }>('SELECT id FROM reports WHERE locator = ?', [body.locator])
  return { id: row.id, receipt }
}
async function move(r: Filed, inbox: { keys: InboxKeys }, ...path: Status[]) {
  for (const to of path) {
    const body = {
      reportId: r.id,
      to,
      ...(to === 'acknowledged' ? {} : { keyVersion: 1, reason: sealNote({ text: `why ${to}`, by: 'Ada' }, inbox.keys) }),
      ...(to === 'closed' ? { outcome: 'action-taken' } : {}),
    }
    const res = await post('/api/review/triage/status', body)
    expect(res.status, JSON.stringify(res.body)).toBe(200)
  }
}
/** Slices of every envelope a report holds, as stored: what must not survive its deletion on disk. */
async function ciphertextSlices(reportId: string) {
  const rows = await db<{ envelope: string }>('SELECT envelope FROM reports WHERE id = ? UNION ALL SELECT envelope FROM messages WHERE report_id = ?', [
    reportId,
    reportId,
  ])
  return rows.map((r) => (JSON.parse(r.envelope).body as string).slice(200, 264))
}
const dbSize = () =>
  fs.statSync(`${dataDir}/candour.sqlite`).size + (fs.existsSync(`${dataDir}/candour.sqlite-wal`) ? fs.statSync(`${dataDir}/candour.sqlite-wal`).size : 0)

beforeAll(async () => {
  dataDir = tempDataDir('candour-retention-')
  server = await startServer({ dataDir })
  const ada = await firstAdminWithKeys(server)
  ;({ cookie, passkey } = ada)
  const { key } = ada.reviewer
  A = { id: ada.inboxId, keys: ada.inbox }
  const bKeys = newInboxKeys(1)
  const made = await post('/api/review/inboxes', {
    name: 'Complaints',
    description: '',
    key: publishKey(bKeys),
    log: logKey(bKeys),
    boxSkWrap: sealSecretTo(bKeys.encryption.privateKey, key.publicKey),
    signSkWrap: sealSecretTo(bKeys.identity.privateKey, key.publicKey),
  })
  expect(made.status, JSON.stringify(made.body)).toBe(201)
  B = { id: made.body.inboxId, keys: bKeys }
  expect((await post('/api/review/triage/retention', { inboxId: B.id, days: 30 })).status).toBe(200)
})

afterAll(async () => {
  await server?.stop()
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true })
})

describe('retention: the clock runs forward', () => {
  let slices: Record<string, string[]>
  let sizeBefore = 0
  const before = addDays(closedOn, 29)
  const deadlineB = addDays(closedOn, 30)
  const deadlineA = addDays(closedOn, 365)

  it('files and closes reports through the server, then stops it', async () => {
    filed.closedA = await file(A)
    filed.openA = await file(A)
    // A long report with a thread, so its deletion frees whole pages.
    filed.closedB = await file(B, 'What I saw at the front desk. '.repeat(400))
    filed.reopenedB = await file(B)
    filed.openB = await file(B)
    const rk = deriveReporterKeys(normaliseReceipt(filed.closedB.receipt))
    const reply = sealReply({ text: 'We have read it', reviewer: 'Reviewer X', chain: null }, B.keys, toB64(rk.box.publicKey))
    expect((await post('/api/review/triage/reply', { reportId: filed.closedB.id, keyVersion: 1, envelope: reply })).status).toBe(200)
    const token = await reporterToken(server.url, filed.closedB.receipt)
    const follow = sealFollowup('And another thing. '.repeat(200), rk, toB64(B.keys.encryption.publicKey), [], null)
    expect((await json(`${server.url}/api/reporter/messages`, { body: { keyVersion: 1, envelope: follow }, token })).status).toBe(201)
    expect((await post('/api/review/triage/open', { reportId: filed.closedB.id })).status).toBe(200)

    await move(filed.closedA, A, 'acknowledged', 'closed')
    await move(filed.openA, A, 'acknowledged', 'assessing', 'investigating')
    await move(filed.closedB, B, 'assessing', 'closed')
    await move(filed.reopenedB, B, 'acknowledged', 'closed', 'assessing')
    const rows = await db('SELECT id, status, closed_day FROM reports ORDER BY id')
    expect(
      rows
        .filter((r) => r.closed_day !== null)
        .map((r) => r.id)
        .sort(),
    ).toEqual([filed.closedA.id, filed.closedB.id].sort())
    expect(await db('SELECT COUNT(*) AS n FROM messages WHERE report_id = ?', [filed.closedB.id])).toEqual([{ n: 4 }]) // reply, follow-up, 2 reasons
    expect(await db('SELECT COUNT(*) AS n FROM report_reads WHERE report_id = ?', [filed.closedB.id])).toEqual([{ n: 1 }])
    slices = { closedA: await ciphertextSlices(filed.closedA.id), closedB: await ciphertextSlices(filed.closedB.id) }
    expect(slices.closedB).toHaveLength(5)
    await server.stop()
    sizeBefore = dbSize()
    // The search below would find them: they are on disk now.
    const disk = diskBytes(dataDir)
    for (const s of [...slices.closedA, ...slices.closedB]) expect(disk).toContain(s)
  })

  it('deletes nothing the day before the deadline, exactly the due report on it, and never an open or reopened one', async () => {
    const store = await Store.open(`${dataDir}/candour.sqlite`)
    try {
      await migrate(store)
      const retention = retentionService(store, blobService(store, dataDir, { maxBytes: 100 * 1024 * 1024, perMessage: 10 }))
      const ids = async () => (await store.read.all<{ id: string }>('SELECT id FROM reports ORDER BY id')).map((r) => r.id)
      const all = Object.values(filed)
        .map((f) => f.id)
        .sort()

      expect(await retention.sweep(before)).toEqual({ deleted: 0 })
      expect(await ids()).toEqual(all)

      expect(await retention.sweep(deadlineB)).toEqual({ deleted: 1 })
      expect(await ids()).toEqual(all.filter((id) => id !== filed.closedB.id))
      for (const table of ['messages', 'report_reads'])
        expect(await store.read.all(`SELECT 1 FROM ${table} WHERE report_id = ?`, [filed.closedB.id]), table).toEqual([])
      // Idempotent: the same day again, or any day before A's deadline, finds nothing more.
      expect(await retention.sweep(deadlineB)).toEqual({ deleted: 0 })
      expect(await retention.sweep(addDays(deadlineA, -1))).toEqual({ deleted: 0 })

      expect(await retention.sweep(deadlineA)).toEqual({ deleted: 1 })
      // Open and reopened reports stay, however far the clock runs.
      expect(await retention.sweep(addDays(closedOn, 3650 * 3))).toEqual({ deleted: 0 })
      expect(await ids()).toEqual([filed.openA.id, filed.reopenedB.id, filed.openB.id].sort())

      const deletions = await store.read.all<{ actor: string; subject: string; detail: string }>(
        "SELECT actor, subject, detail FROM audit_log WHERE action = 'report.delete' ORDER BY seq",
      )
      expect(deletions).toEqual([
        { actor: 'system', subject: filed.closedB.id, detail: JSON.stringify({ reason: 'retention' }) },
        { actor: 'system', subject: filed.closedA.id, detail: JSON.stringify({ reason: 'retention' }) },
      ])
    } finally {
      await store.close()
    }
    const verify = admin(dataDir, ['audit:verify'])
    expect(verify.code, verify.stderr).toBe(0)
  })

  it('reclaims the space: no slice of the deleted ciphertext in the database or its WAL, and the file is smaller', () => {
    const disk = diskBytes(dataDir)
    for (const s of [...slices.closedA, ...slices.closedB]) expect(disk).not.toContain(s)
    expect(fs.existsSync(`${dataDir}/candour.sqlite-wal`) ? fs.statSync(`${dataDir}/candour.sqlite-wal`).size : 0).toBe(0)
    expect(dbSize()).toBeLessThan(sizeBefore)
  })

  it('after a restart on the same data directory, the reviewer and the reporter find the deleted reports gone', async () => {
    // The same port, so the passkey's origin still matches.
    server = await startServer({ dataDir, env: { PORT: new URL(server.url).port } })
    const opts = await api.post('/api/review/sign-in/options', {})
    const signIn = await api.post('/api/review/sign-in', { ceremonyId: opts.body.ceremonyId, assertion: passkey.assert(opts.body.options) })
    expect(signIn.status, JSON.stringify(signIn.body)).toBe(200)
    cookie = signIn.cookie
    const list = await post('/api/review/triage/list', {})
    expect(list.body.reports.map((r: any) => r.id).sort()).toEqual([filed.openA.id, filed.reopenedB.id, filed.openB.id].sort())
    expect((await post('/api/review/triage/open', { reportId: filed.closedB.id })).status).toBe(404)

    await expect(reporterToken(server.url, filed.closedB.receipt)).rejects.toThrow(/challenge: 404/)
    const gone = await postForm(`${server.url}/check`, { intent: 'open', receipt: filed.closedB.receipt })
    expect([200, 404]).toContain(gone.status) // the page answers in words; the status is the page's choice
    expect(visibleText(gone.html)).toMatch(/No report matches this receipt code/)
    const token = await reporterToken(server.url, filed.reopenedB.receipt)
    expect((await json(`${server.url}/api/reporter/thread`, { token })).body.status).toBe('assessing')
    const still = await postForm(`${server.url}/check`, { intent: 'open', receipt: filed.openA.receipt })
    expect(still.status).toBe(200)
  })
})
