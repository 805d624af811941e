import fs from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { deriveReporterKeys, sealReply, toB64, type InboxKeys } from '../../crypto/index'
import { normaliseReceipt } from '../../crypto/receipt'
import { json, postForm, reporterToken, todayUtc, visibleText } from '../support/http'
import { firstAdminWithKeys, reviewApi, sqlAll } from '../support/review-api'
import { sealedSubmission } from '../support/seal'
import { diskBytes, startServer, tempDataDir, type RunningServer } from '../support/server'

/** A reporter asks for their report to be withdrawn, with and without JS; a reviewer declines or accepts. */
let server: RunningServer
let cookie = ''
let inbox: InboxKeys
let theInbox = ''
type Filed = { id: string; receipt: string }
let js: Filed // asks through the JSON API, then is declined
let other: Filed // another reporter's report, which js's token must not touch
let nojs: Filed // asks through the plain form, then is accepted and deleted
const api = reviewApi(() => server.url)
const post = (path: string, body: unknown) => api.post(path, body, cookie)
const row = async (id: string) => (await sqlAll(server.dbFile, 'SELECT * FROM reports WHERE id = ?', [id]))[0]
const everything = async () => ({
  reports: await sqlAll(server.dbFile, 'SELECT * FROM reports ORDER BY id'),
  messages: await sqlAll(server.dbFile, 'SELECT report_id, seq, author_kind FROM messages ORDER BY report_id, seq'),
  audit: await sqlAll(server.dbFile, 'SELECT seq FROM audit_log'),
})
const check = (fields: Record<string, string>) => postForm(`${server.url}/check`, fields)
const withdraw = (token: string, body: unknown) => json(`${server.url}/api/reporter/withdraw`, { token, body })

async function file(): Promise<Filed> {
  const { receipt, body } = await sealedSubmission(theInbox, inbox, { categories: ['sexism'], whatHappened: 'Comments at briefing', role: 'targeted' })
  const res = await json(`${server.url}/api/reports`, { body })
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  const [r] = await sqlAll<{ id: string }>(server.dbFile, 'SELECT id FROM reports WHERE locator = ?', [body.locator])
  return { id: r.id, receipt }
}

beforeAll(async () => {
  server = await startServer({ dataDir: tempDataDir('candour-withdrawal-') })
  // Through the test's own api, so the "no 5xx" check at the end covers the setup calls too.
  ;({ cookie, inboxId: theInbox, inbox } = await firstAdminWithKeys(server, { api }))
  js = await file()
  other = await file()
  nojs = await file()
})

afterAll(async () => {
  await server?.stop()
  if (server) fs.rmSync(server.dataDir, { recursive: true, force: true })
})

describe('withdrawal with JavaScript (bearer token)', () => {
  it('without {confirm: true} → 400 and nothing changes; without a token → 401', async () => {
    const token = await reporterToken(server.url, js.receipt)
    const before = await everything()
    for (const body of [{}, { confirm: false }, { confirm: 'yes' }, { confirm: true, reportId: other.id }]) {
      const res = await withdraw(token, body)
      expect(res.status, JSON.stringify(body)).toBe(400)
    }
    expect((await json(`${server.url}/api/reporter/withdraw`, { body: { confirm: true } })).status).toBe(401)
    expect(await everything()).toEqual(before)
  })

  it('sets withdrawal_requested_day to today (a day, no time) and changes nothing else', async () => {
    const token = await reporterToken(server.url, js.receipt)
    const before = await everything()
    const res = await withdraw(token, { confirm: true })
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    expect(res.body).toEqual({ withdrawal: 'requested' })
    const after = await everything()
    const mine = after.reports.find((r) => r.id === js.id)
    expect(mine.withdrawal_requested_day).toBe(todayUtc())
    expect(mine.withdrawal_requested_day).toMatch(/^\d{4}-\d{2}-\d{2}$/)
    expect({ ...after, reports: after.reports.map((r) => (r.id === js.id ? { ...r, withdrawal_requested_day: null } : r)) }).toEqual(before)
    // The reporter reads it back in the thread, with the day.
    const wire = await json(`${server.url}/api/reporter/thread`, { token })
    expect(wire.body).toMatchObject({ withdrawal: 'requested', withdrawalRequestedDay: todayUtc() })
  })

  it("another reporter's token acts only on its own report", async () => {
    const token = await reporterToken(server.url, other.receipt)
    const jsBefore = await row(js.id)
    const nojsBefore = await row(nojs.id)
    expect((await withdraw(token, { confirm: true })).status).toBe(200)
    expect((await row(other.id)).withdrawal_requested_day).toBe(todayUtc())
    expect(await row(js.id)).toEqual(jsBefore)
    expect(await row(nojs.id)).toEqual(nojsBefore)
  })

  it('the reviewers see the request, and a decline shows as "declined" to the reporter', async () => {
    const list = await post('/api/review/triage/list', { inboxId: theInbox })
    const listed = list.body.reports.find((r: { id: string }) => r.id === js.id)
    expect(listed).toMatchObject({ withdrawalRequestedDay: todayUtc(), withdrawalDeclinedDay: null })
    const res = await post('/api/review/triage/withdrawal', { reportId: js.id, decision: 'decline' })
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    // The answer carries the report's whole case state and the trail line the server recorded, so
    // the page need not re-derive either.
    expect(res.body).toEqual({
      deleted: false,
      case: expect.objectContaining({ status: 'received', withdrawalRequestedDay: null, withdrawalDeclinedDay: todayUtc() }),
      trail: [expect.objectContaining({ action: 'report.withdrawal-declined', displayName: expect.any(String) })],
    })
    const token = await reporterToken(server.url, js.receipt)
    const wire = await json(`${server.url}/api/reporter/thread`, { token })
    expect(wire.body).toMatchObject({ withdrawal: 'declined', withdrawalRequestedDay: null })
    // The no-JS page says so in words, and offers the form again.
    const text = visibleText((await check({ intent: 'open', receipt: js.receipt })).html)
    expect(text).toContain('Your request to withdraw was declined. A reviewer may explain in a reply.')
    expect(text).toContain('Withdraw your report')
    // Nothing is pending now, so a second decision is refused.
    expect((await post('/api/review/triage/withdrawal', { reportId: js.id, decision: 'accept' })).status).toBe(409)
    expect(await row(js.id)).toBeTruthy()
  })
})

describe('withdrawal without JavaScript (plain form), then accepted', () => {
  it('without the checkbox: a clear error, the form again, and nothing changes', async () => {
    const before = await everything()
    const res = await check({ intent: 'withdraw', receipt: nojs.receipt })
    expect(res.status).toBe(200)
    const text = visibleText(res.html)
    expect(text).toContain('Tick "I understand" to ask for your report to be withdrawn. Nothing was sent.')
    expect(text).toContain('Withdraw your report')
    expect(res.html).toContain('name="confirm"')
    // A checkbox value other than the one the form sends is no tick either.
    await check({ intent: 'withdraw', receipt: nojs.receipt, confirm: 'on' })
    expect(await everything()).toEqual(before)
  })

  it('with the checkbox: asked, the status card says when, and the form is gone', async () => {
    const res = await check({ intent: 'withdraw', receipt: nojs.receipt, confirm: 'yes' })
    expect(res.status).toBe(200)
    const text = visibleText(res.html)
    expect(text).toContain('Your request to withdraw was sent. A reviewer will decide.')
    const day = new Date().toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })
    expect(text).toContain(`You asked for this report to be withdrawn on ${day}. A reviewer will decide.`)
    expect(res.html).not.toContain('name="confirm"')
    expect((await row(nojs.id)).withdrawal_requested_day).toBe(todayUtc())
  })

  it('accepting deletes the report, its messages and read marks for good; the code then matches nothing', async () => {
    // A reviewer has opened it (a read mark) and replied (a message) before deciding.
    expect((await post('/api/review/triage/open', { reportId: nojs.id })).status).toBe(200)
    const boxPk = toB64(deriveReporterKeys(normaliseReceipt(nojs.receipt)).box.publicKey)
    const replied = await post('/api/review/triage/reply', {
      reportId: nojs.id,
      keyVersion: 1,
      envelope: sealReply({ text: 'We will look at this', reviewer: 'Reviewer X', chain: null }, inbox, boxPk),
    })
    expect(replied.status, JSON.stringify(replied.body)).toBe(200)
    expect(await sqlAll(server.dbFile, 'SELECT 1 FROM report_reads WHERE report_id = ?', [nojs.id])).toHaveLength(1)
    const stored = await sqlAll<{ envelope: string }>(
      server.dbFile,
      'SELECT envelope FROM reports WHERE id = ? UNION ALL SELECT envelope FROM messages WHERE report_id = ?',
      [nojs.id, nojs.id],
    )
    expect(stored).toHaveLength(2)
    const slices = stored.map((s) => (JSON.parse(s.envelope) as { body: string }).body.slice(40, 100))
    // The search works: before deletion both ciphertexts are on disk (file or WAL).
    for (const slice of slices) expect(diskBytes(server.dataDir)).toContain(slice)

    const res = await post('/api/review/triage/withdrawal', { reportId: nojs.id, decision: 'accept' })
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    expect(res.body).toEqual({ deleted: true })

    expect(await sqlAll(server.dbFile, 'SELECT 1 FROM reports WHERE id = ?', [nojs.id])).toEqual([])
    expect(await sqlAll(server.dbFile, 'SELECT 1 FROM messages WHERE report_id = ?', [nojs.id])).toEqual([])
    expect(await sqlAll(server.dbFile, 'SELECT 1 FROM report_reads WHERE report_id = ?', [nojs.id])).toEqual([])
    const audit = await sqlAll<{ detail: string }>(server.dbFile, "SELECT detail FROM audit_log WHERE action = 'report.delete' AND subject = ?", [nojs.id])
    expect(audit.map((a) => JSON.parse(a.detail))).toEqual([{ reason: 'withdrawn' }])
    // The other reports are untouched.
    expect(await row(js.id)).toBeTruthy()
    expect(await row(other.id)).toBeTruthy()

    // The file was rebuilt and the WAL truncated: not one of the ciphertext slices is left.
    const files = fs.readdirSync(server.dataDir).filter((f) => f.startsWith('candour.sqlite'))
    expect(files).toContain('candour.sqlite')
    const disk = diskBytes(server.dataDir)
    for (const slice of slices) expect(disk.includes(slice), `ciphertext slice ${slice} still on disk`).toBe(false)

    // Without JS and with JS, the code now matches nothing, and the page says why that may be.
    const text = visibleText((await check({ intent: 'open', receipt: nojs.receipt })).html)
    expect(text).toContain('No report matches this receipt code')
    expect(text).toContain('If your report was withdrawn, it has been deleted and its code no longer works.')
    const locator = deriveReporterKeys(normaliseReceipt(nojs.receipt)).locator
    const challenge = await json(`${server.url}/api/reporter/challenge`, { body: { locator } })
    expect(challenge.status).toBe(404)
    expect(challenge.body.error).toContain('its code no longer works')
  })

  it('no request ever got a 5xx', () => {
    expect(api.statuses.filter(([, s]) => s >= 500)).toEqual([])
  })
})
