import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  makeGrant,
  deriveReporterKeys,
  newInboxKeys,
  openThreadAsReporter,
  logKey,
  publishKey,
  sealFollowup,
  sealNote,
  sealReply,
  sealSecretTo,
  toB64,
  unwrapSecret,
  type InboxKeys,
  type KeyPair,
} from '../../crypto/index'
import { normaliseReceipt } from '../../crypto/receipt'
import { prepareReviewer } from '../../app/review/enrol.client'
import { STATUSES, TRANSITIONS, type Status } from '#common/triage-rules'
import { json, loadInboxKeys, postForm, reporterToken, todayUtc, visibleText } from '../support/http'
import { firstAdminWithKeys, reviewApi, sqlAll } from '../support/review-api'
import { sealedSubmission } from '../support/seal'
import { createInbox, diskBytes, startServer, tempDataDir, type RunningServer } from '../support/server'
import { softPasskey } from '../support/soft-passkey'

/**
 * What reviewers decide about a report, through the real server: status moves along the fixed
 * path only, reasons stay sealed and away from the reporter, assignment, exports, withdrawal,
 * retention, unread marks, and every refusal is a clear 4xx that changes nothing.
 */
type Person = { cookie: string; id: string; key: KeyPair }
let server: RunningServer
let ada: Person // first admin, member of A and B
let bea: Person // reviewer, member of A
let dan: Person // reviewer, member of B only
let eve: Person // reviewer of A, later removed
let A: { id: string; keys: InboxKeys }
let B: { id: string; keys: InboxKeys }
let C: { id: string; keys: InboxKeys } // offline: nobody here is a member
const api = reviewApi(() => server.url)
const db = <T = any>(sql: string, params: unknown[] = []) => sqlAll<T>(server.dbFile, sql, params)
const auditCount = async () => (await db<{ n: number }>('SELECT COUNT(*) AS n FROM audit_log'))[0].n
const lastAudit = async (subject: string) => (await db('SELECT actor, action, detail FROM audit_log WHERE subject = ? ORDER BY seq DESC LIMIT 1', [subject]))[0]

async function enrol(displayName: string, inboxIds: string[]): Promise<Person> {
  const invite = await api.post('/api/review/invites', { displayName, role: 'reviewer', inboxIds }, ada.cookie)
  expect(invite.status, JSON.stringify(invite.body)).toBe(201)
  const opts = await api.post('/api/review/invite/options', { token: new URL(invite.body.link).hash.slice(1) })
  const prepared = await prepareReviewer({ kind: 'prf', prf: randomBytes(32) })
  const done = await api.post('/api/review/invite/complete', {
    ceremonyId: opts.body.ceremonyId,
    registration: softPasskey(server.url).register(opts.body.options),
    reviewer: prepared.reviewer,
  })
  expect(done.status, JSON.stringify(done.body)).toBe(201)
  return {
    cookie: done.cookie,
    id: done.body.reviewer.id,
    key: { publicKey: prepared.publicKey, privateKey: unwrapSecret(prepared.reviewer.keyWrap, prepared.wrapKey) },
  }
}
/** Ada's browser seals the inbox keys to the newcomer after comparing fingerprints. */
async function approve(inbox: { id: string; keys: InboxKeys }, p: Person) {
  const wraps = [
    {
      keyVersion: 1,
      boxSkWrap: sealSecretTo(inbox.keys.encryption.privateKey, p.key.publicKey),
      signSkWrap: sealSecretTo(inbox.keys.identity.privateKey, p.key.publicKey),
    },
  ]
  const grant = makeGrant(inbox.id, toB64(inbox.keys.identity.publicKey), ada.key, p.key.publicKey)
  expect((await api.post('/api/review/members/approve', { inboxId: inbox.id, reviewerId: p.id, wraps, grant }, ada.cookie)).status).toBe(200)
}

/** Files a sealed report as a browser would; returns its row id and receipt. */
async function file(inbox: { id: string; keys: InboxKeys }) {
  const { receipt, body } = await sealedSubmission(inbox.id, inbox.keys, { categories: ['racism'], whatHappened: 'Seen at the desk', role: 'witness' })
  const res = await json(`${server.url}/api/reports`, { body })
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  const [row] = await db<{ id: string }>('SELECT id FROM reports WHERE locator = ?', [body.locator])
  return { id: row.id, receipt }
}

const reason = (text = 'Reason for the change', keys = A.keys) => sealNote({ text, by: 'Ada Admin' }, keys)
/** A status change as the case panel sends it: a sealed reason (except to acknowledge), an outcome to close. */
const statusBody = (reportId: string, to: Status, extra: Record<string, unknown> = {}) => ({
  reportId,
  to,
  ...(to === 'acknowledged' ? {} : { keyVersion: 1, reason: reason() }),
  ...(to === 'closed' ? { outcome: 'no-further-action' } : {}),
  ...extra,
})
const setStatus = (reportId: string, to: Status, extra: Record<string, unknown> = {}, who = ada) =>
  api.post('/api/review/triage/status', statusBody(reportId, to, extra), who.cookie)

/** The shortest allowed path from received, so a report can be put in any status the real way. */
function pathTo(target: Status): Status[] {
  const prev = new Map<Status, Status>()
  const queue: Status[] = ['received']
  while (queue.length) {
    const s = queue.shift()!
    for (const n of TRANSITIONS[s]) {
      if (n === 'received' || prev.has(n)) continue
      prev.set(n, s)
      queue.push(n)
    }
  }
  const path: Status[] = []
  for (let s = target; s !== 'received'; s = prev.get(s)!) path.unshift(s)
  return path
}
async function reportIn(status: Status, inbox = A) {
  const r = await file(inbox)
  for (const to of pathTo(status)) expect((await setStatus(r.id, to)).status).toBe(200)
  return r
}

/** Everything a refused case action must leave alone. */
const snapshot = async (reportId: string) => ({
  report: await db('SELECT * FROM reports WHERE id = ?', [reportId]),
  messages: await db('SELECT report_id, seq FROM messages ORDER BY 1, 2'),
  audit: await auditCount(),
  reads: await db('SELECT * FROM report_reads ORDER BY 1, 2'),
  inboxes: await db('SELECT id, retention_days FROM inboxes ORDER BY id'),
})
async function expectRefused(status: number | number[], reportId: string, call: () => Promise<{ status: number; body: any }>) {
  const before = await snapshot(reportId)
  const res = await call()
  expect([status].flat(), JSON.stringify(res.body)).toContain(res.status)
  expect(typeof res.body.error, JSON.stringify(res.body)).toBe('string')
  expect(await snapshot(reportId)).toEqual(before)
  return res.body.error as string
}

beforeAll(async () => {
  const dataDir = tempDataDir('candour-cases-')
  const offline = createInbox(dataDir, 'Independent Reviewer')
  server = await startServer({ dataDir })
  C = { id: offline.id, keys: await loadInboxKeys(offline.keyFile) }
  const first = await firstAdminWithKeys(server)
  const { key } = first.reviewer
  ada = { cookie: first.cookie, id: first.reviewer.id, key }
  A = { id: first.inboxId, keys: first.inbox }
  const bKeys = newInboxKeys(1)
  const made = await api.post(
    '/api/review/inboxes',
    {
      name: 'Complaints',
      description: '',
      key: publishKey(bKeys),
      log: logKey(bKeys),
      boxSkWrap: sealSecretTo(bKeys.encryption.privateKey, key.publicKey),
      signSkWrap: sealSecretTo(bKeys.identity.privateKey, key.publicKey),
    },
    ada.cookie,
  )
  expect(made.status, JSON.stringify(made.body)).toBe(201)
  B = { id: made.body.inboxId, keys: bKeys }
  bea = await enrol('Bea Reviewer', [A.id])
  dan = await enrol('Dan Reviewer', [B.id])
  eve = await enrol('Eve Reviewer', [A.id])
  await approve(A, bea)
  await approve(B, dan)
  await approve(A, eve)
})

afterAll(async () => {
  await server?.stop()
  if (server) fs.rmSync(server.dataDir, { recursive: true, force: true })
})

const ALLOWED = STATUSES.flatMap((from) => TRANSITIONS[from].map((to) => [from, to] as const))
const REFUSED = STATUSES.flatMap((from) => STATUSES.filter((to) => !TRANSITIONS[from].includes(to)).map((to) => [from, to] as const))

describe('status changes', () => {
  it.each(ALLOWED)('%s → %s succeeds and is audited with from and to', async (from, to) => {
    const r = await reportIn(from)
    const res = await setStatus(r.id, to)
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    const [row] = await db('SELECT status, outcome, closed_day, acknowledged_day, feedback_day FROM reports WHERE id = ?', [r.id])
    expect(row).toMatchObject({ status: to, outcome: to === 'closed' ? 'no-further-action' : null, closed_day: to === 'closed' ? todayUtc() : null })
    expect(row.acknowledged_day).toBe(todayUtc())
    // Closing gives the reporter the outcome, so it counts as feedback, and reopening keeps that.
    expect(row.feedback_day).toBe(to === 'closed' || from === 'closed' ? todayUtc() : null)
    const entry = await lastAudit(r.id)
    expect(entry).toMatchObject({ actor: `reviewer:${ada.id}`, action: 'report.status' })
    const detail = JSON.parse(entry.detail)
    expect(detail).toMatchObject({ from, to, ...(to === 'closed' ? { outcome: 'no-further-action' } : {}) })
    if (to === 'acknowledged') expect(detail.seq).toBeUndefined()
    else {
      // The reason is the note at detail.seq, the last message of the report.
      const notes = await db('SELECT seq, author_kind FROM messages WHERE report_id = ? ORDER BY seq DESC LIMIT 1', [r.id])
      expect(notes).toEqual([{ seq: detail.seq, author_kind: 'note' }])
      expect(res.body.noteSeq).toBe(detail.seq)
    }
  })

  it(`refuses all ${REFUSED.length} other moves with 409 in words, changing nothing`, async () => {
    expect(ALLOWED.length + REFUSED.length).toBe(STATUSES.length ** 2)
    for (const from of STATUSES) {
      const r = await reportIn(from)
      for (const to of STATUSES.filter((t) => !TRANSITIONS[from].includes(t))) {
        const error = await expectRefused(409, r.id, () => setStatus(r.id, to))
        expect(error, `${from} → ${to}`).toMatch(new RegExp(`that is ${from} cannot be moved to ${to}`))
      }
    }
  })

  it('closing needs an outcome; an outcome only comes with closing', async () => {
    const r = await reportIn('assessing')
    expect(await expectRefused(400, r.id, () => setStatus(r.id, 'closed', { outcome: undefined }))).toMatch(/outcome/)
    expect(await expectRefused(400, r.id, () => setStatus(r.id, 'investigating', { outcome: 'action-taken' }))).toMatch(/outcome/)
    await expectRefused(400, r.id, () => setStatus(r.id, 'closed', { outcome: 'sacked' }))
  })

  it('every change but acknowledging needs a reason, sealed to the current key', async () => {
    const r = await file(A)
    expect((await setStatus(r.id, 'acknowledged')).status).toBe(200)
    for (const to of ['assessing', 'closed'] as const)
      expect(await expectRefused(400, r.id, () => setStatus(r.id, to, { reason: undefined, keyVersion: undefined }))).toMatch(/reason/i)
    await expectRefused(400, r.id, () => setStatus(r.id, 'assessing', { keyVersion: undefined }))
    await expectRefused(400, r.id, () => setStatus(r.id, 'assessing', { reason: undefined }))
    await expectRefused(409, r.id, () => setStatus(r.id, 'assessing', { keyVersion: 2 }))
    // A note is for the inbox only: an envelope with a reporter wrap is not a note.
    const wrapped = sealReply({ text: 'x', reviewer: 'Ada', chain: null }, A.keys, toB64(deriveReporterKeys(normaliseReceipt(r.receipt)).box.publicKey))
    await expectRefused(400, r.id, () => setStatus(r.id, 'assessing', { reason: wrapped }))
    const big = reason()
    big.body = 'A'.repeat(400_000)
    await expectRefused([400, 413], r.id, () => setStatus(r.id, 'assessing', { reason: big }))
  })

  it('keeps the reason sealed: not on disk in plain, never sent to the reporter with or without JS', async () => {
    const marker = `reason-marker-${randomBytes(6).toString('hex')}`
    const r = await reportIn('acknowledged')
    expect((await setStatus(r.id, 'assessing', { reason: reason(marker) })).status).toBe(200)
    expect((await setStatus(r.id, 'closed', { reason: reason(marker), outcome: 'action-taken' })).status).toBe(200)
    const notes = await db<{ envelope: string }>("SELECT envelope FROM messages WHERE report_id = ? AND author_kind = 'note'", [r.id])
    expect(notes).toHaveLength(2)
    expect(diskBytes(server.dataDir)).not.toContain(marker)
    const wire = await json(`${server.url}/api/reporter/thread`, { token: await reporterToken(server.url, r.receipt) })
    expect(wire.body).toMatchObject({ status: 'closed', outcome: 'action-taken', messages: [] })
    for (const n of notes) expect(JSON.stringify(wire.body)).not.toContain(JSON.parse(n.envelope).body)
    expect(openThreadAsReporter(wire.body, deriveReporterKeys(normaliseReceipt(r.receipt))).messages).toEqual([])
    const page = await postForm(`${server.url}/check`, { intent: 'open', receipt: r.receipt })
    expect(page.status).toBe(200)
    // Closed by a reviewer whose browser signed no change for the reporter: shown as the site's word only.
    expect(visibleText(page.html)).toContain('The site says your report is “Closed”, but no reviewer signed that')
    expect(page.html).not.toContain(marker)
    for (const n of notes) expect(page.html).not.toContain(JSON.parse(n.envelope).body.slice(0, 40))
  })

  it('a first reply acknowledges; a reply once assessing is the feedback; reopening clears closed day and outcome', async () => {
    const r = await file(A)
    const reporterPk = toB64(deriveReporterKeys(normaliseReceipt(r.receipt)).box.publicKey)
    const reply = () =>
      api.post(
        '/api/review/triage/reply',
        { reportId: r.id, keyVersion: 1, envelope: sealReply({ text: 'Thank you', reviewer: 'Reviewer X', chain: null }, A.keys, reporterPk) },
        ada.cookie,
      )
    const row = async () => (await db('SELECT status, acknowledged_day, feedback_day, closed_day, outcome FROM reports WHERE id = ?', [r.id]))[0]
    expect((await reply()).body.status).toBe('acknowledged')
    expect(await row()).toMatchObject({ status: 'acknowledged', acknowledged_day: todayUtc(), feedback_day: null })
    await reply() // acknowledged is not yet feedback
    expect((await row()).feedback_day).toBeNull()
    expect((await setStatus(r.id, 'assessing')).status).toBe(200)
    await reply()
    expect(await row()).toMatchObject({ status: 'assessing', feedback_day: todayUtc() })
    expect((await setStatus(r.id, 'closed', { outcome: 'resolved-informally' })).status).toBe(200)
    expect(await row()).toMatchObject({ status: 'closed', closed_day: todayUtc(), outcome: 'resolved-informally' })
    const reopened = await setStatus(r.id, 'assessing')
    expect(reopened.body).toMatchObject({ status: 'assessing', outcome: null, closedDay: null })
    expect(await row()).toMatchObject({ status: 'assessing', closed_day: null, outcome: null, acknowledged_day: todayUtc(), feedback_day: todayUtc() })
    expect(JSON.parse((await lastAudit(r.id)).detail)).toMatchObject({ from: 'closed', to: 'assessing' })
  })
})

describe('assignment, export and withdrawal', () => {
  it('assigns to a member or to nobody, audited; refuses a non-member or a removed reviewer', async () => {
    const r = await file(A)
    const assign = (assigneeId: string | null, who = ada) => api.post('/api/review/triage/assign', { reportId: r.id, assigneeId }, who.cookie)
    expect((await assign(bea.id)).status).toBe(200)
    expect(await lastAudit(r.id)).toMatchObject({ action: 'report.assign', detail: JSON.stringify({ to: bea.id }) })
    expect((await api.post('/api/review/triage/list', { inboxId: A.id }, ada.cookie)).body.reports.find((x: any) => x.id === r.id).assigneeId).toBe(bea.id)
    expect(await expectRefused(400, r.id, () => assign(dan.id))).toMatch(/member of its inbox/)
    await expectRefused(400, r.id, () => assign('Z'.repeat(22)))
    await expectRefused(400, r.id, () => assign('not an id'))
    expect((await assign(eve.id)).status).toBe(200)
    expect((await api.post('/api/review/reviewers/remove', { reviewerId: eve.id }, ada.cookie)).status).toBe(200)
    // Removal ends the assignment too: nobody is left holding a case they can no longer open.
    expect((await db('SELECT assignee_id FROM reports WHERE id = ?', [r.id]))[0].assignee_id).toBeNull()
    await expectRefused(400, r.id, () => assign(eve.id))
    expect((await assign(bea.id)).status).toBe(200)
    expect((await assign(null)).status).toBe(200)
    expect((await db('SELECT assignee_id FROM reports WHERE id = ?', [r.id]))[0].assignee_id).toBeNull()
    expect(await lastAudit(r.id)).toMatchObject({ action: 'report.assign', detail: JSON.stringify({ to: 'nobody' }) })
  })

  it('records each export in the audit log and in the trail open() returns', async () => {
    const r = await file(A)
    const res = await api.post('/api/review/triage/export', { reportId: r.id }, ada.cookie)
    expect(res.status).toBe(200)
    expect(await lastAudit(r.id)).toMatchObject({ actor: `reviewer:${ada.id}`, action: 'report.export' })
    const opened = await api.post('/api/review/triage/open', { reportId: r.id }, bea.cookie)
    expect(opened.body.trail.map((t: any) => [t.action, t.displayName])).toEqual([
      ['report.export', 'Ada Admin'],
      ['report.open', 'Bea Reviewer'],
    ])
  })

  it('decides a withdrawal only when the reporter asked: decline tells them, accept deletes', async () => {
    const r = await file(A)
    const decide = (decision: string) => api.post('/api/review/triage/withdrawal', { reportId: r.id, decision }, ada.cookie)
    expect(await expectRefused(409, r.id, () => decide('accept'))).toMatch(/not asked to withdraw/)
    await expectRefused(409, r.id, () => decide('decline'))
    const token = await reporterToken(server.url, r.receipt)
    const ask = () => json(`${server.url}/api/reporter/withdraw`, { body: { confirm: true }, token })
    expect((await ask()).status).toBe(200)
    await expectRefused(400, r.id, () => decide('maybe'))
    expect((await decide('decline')).status).toBe(200)
    expect((await json(`${server.url}/api/reporter/thread`, { token })).body.withdrawal).toBe('declined')
    expect(await lastAudit(r.id)).toMatchObject({ action: 'report.withdrawal-declined' })
    expect((await ask()).status).toBe(200)
    const [stored] = await db<{ envelope: string }>('SELECT envelope FROM reports WHERE id = ?', [r.id])
    const slice = JSON.parse(stored.envelope).body.slice(200, 264)
    expect(diskBytes(server.dataDir)).toContain(slice)
    expect((await decide('accept')).body).toEqual({ deleted: true })
    // The space is reclaimed before the answer: no copy of the sealed report is left in the file or its WAL.
    expect(diskBytes(server.dataDir)).not.toContain(slice)
    expect(await db('SELECT 1 FROM reports WHERE id = ?', [r.id])).toEqual([])
    expect(await db('SELECT 1 FROM messages WHERE report_id = ?', [r.id])).toEqual([])
    expect(await lastAudit(r.id)).toMatchObject({ actor: `reviewer:${ada.id}`, action: 'report.delete', detail: JSON.stringify({ reason: 'withdrawn' }) })
    expect((await json(`${server.url}/api/reporter/thread`, { token })).status).toBe(404)
  })
})

describe('retention', () => {
  it('an admin sets it (audited); a reviewer cannot; out of range is refused', async () => {
    const res = await api.post('/api/review/triage/retention', { inboxId: A.id, days: 30 }, ada.cookie)
    expect(res.body).toEqual({ inboxId: A.id, days: 30 })
    expect(await lastAudit(A.id)).toMatchObject({ action: 'inbox.retention', detail: JSON.stringify({ days: 30 }) })
    expect((await api.post('/api/review/triage/list', { inboxId: A.id }, ada.cookie)).body.inboxes[0].retentionDays).toBe(30)
    const r = await file(A)
    expect(await expectRefused(403, r.id, () => api.post('/api/review/triage/retention', { inboxId: A.id, days: 400 }, bea.cookie))).toMatch(/Only admins/)
    for (const days of [29, 3651, 90.5, '90', -1])
      await expectRefused(400, r.id, () => api.post('/api/review/triage/retention', { inboxId: A.id, days }, ada.cookie))
    await expectRefused(404, r.id, () => api.post('/api/review/triage/retention', { inboxId: 'Nosuchinbox1', days: 90 }, ada.cookie))
    expect((await api.post('/api/review/triage/retention', { inboxId: A.id, days: 365 }, ada.cookie)).status).toBe(200)
  })
})

describe('the list and unread marks', () => {
  const unread = async (who: Person, id: string) =>
    (await api.post('/api/review/triage/list', {}, who.cookie)).body.reports.find((x: any) => x.id === id).unread

  it('is unread until opened, again after a reporter follow-up, and per reviewer', async () => {
    const r = await file(A)
    expect([await unread(ada, r.id), await unread(bea, r.id)]).toEqual([true, true])
    expect((await api.post('/api/review/triage/open', { reportId: r.id }, ada.cookie)).status).toBe(200)
    expect([await unread(ada, r.id), await unread(bea, r.id)]).toEqual([false, true])
    const token = await reporterToken(server.url, r.receipt)
    const envelope = sealFollowup('One more thing', deriveReporterKeys(normaliseReceipt(r.receipt)), toB64(A.keys.encryption.publicKey), [], null)
    expect((await json(`${server.url}/api/reporter/messages`, { body: { keyVersion: 1, envelope }, token })).status).toBe(201)
    expect([await unread(ada, r.id), await unread(bea, r.id)]).toEqual([true, true])
    // A reviewer's own note does not count as something new for the others to read.
    expect((await api.post('/api/review/triage/note', { reportId: r.id, keyVersion: 1, envelope: reason('n') }, bea.cookie)).status).toBe(200)
    expect([await unread(ada, r.id), await unread(bea, r.id)]).toEqual([true, false])
    await api.post('/api/review/triage/open', { reportId: r.id }, ada.cookie)
    expect([await unread(ada, r.id), await unread(bea, r.id)]).toEqual([false, false])
  })

  it("lists every inbox the reviewer belongs to and nothing from the others'; another inbox's id is 403", async () => {
    const inB = await file(B)
    const inC = await file(C)
    const all = await api.post('/api/review/triage/list', {}, ada.cookie)
    expect(all.body.inboxes.map((i: any) => i.id).sort()).toEqual([A.id, B.id].sort())
    const ids = all.body.reports.map((x: any) => x.id)
    expect(ids).toContain(inB.id)
    expect(ids).not.toContain(inC.id)
    expect(new Set(all.body.reports.map((x: any) => x.inboxId))).toEqual(new Set([A.id, B.id]))
    expect(all.body.reports.length).toBe((await db('SELECT COUNT(*) AS n FROM reports WHERE inbox_id IN (?, ?)', [A.id, B.id]))[0].n)
    const dans = await api.post('/api/review/triage/list', {}, dan.cookie)
    expect(dans.body.reports.map((x: any) => x.id)).toEqual([inB.id])
    expect(dans.body.members.find((m: any) => m.id === dan.id)).toMatchObject({ inboxIds: [B.id] })
    expect((await api.post('/api/review/triage/list', { inboxId: C.id }, ada.cookie)).status).toBe(403)
    expect((await api.post('/api/review/triage/list', { inboxId: A.id }, dan.cookie)).status).toBe(403)
    expect((await api.post('/api/review/triage/list', { inboxId: B.id }, ada.cookie)).body.reports.map((x: any) => x.id)).toEqual([inB.id])
  })

  it('refuses a reviewer of another inbox every case action (403), changing nothing', async () => {
    const r = await file(A)
    expect((await json(`${server.url}/api/reporter/withdraw`, { body: { confirm: true }, token: await reporterToken(server.url, r.receipt) })).status).toBe(200)
    const as = (path: string, body: unknown) => () => api.post(`/api/review/triage/${path}`, body, dan.cookie)
    for (const call of [
      as('status', statusBody(r.id, 'acknowledged')),
      as('status', statusBody(r.id, 'acknowledged', { keyVersion: 1, reason: reason('x', B.keys) })),
      as('assign', { reportId: r.id, assigneeId: dan.id }),
      as('assign', { reportId: r.id, assigneeId: null }),
      as('export', { reportId: r.id }),
      as('withdrawal', { reportId: r.id, decision: 'accept' }),
      as('withdrawal', { reportId: r.id, decision: 'decline' }),
      as('open', { reportId: r.id }),
      as('note', { reportId: r.id, keyVersion: 1, envelope: reason('x', B.keys) }),
    ])
      await expectRefused(403, r.id, call)
    await expectRefused(403, r.id, as('retention', { inboxId: A.id, days: 30 }))
    await expectRefused(404, r.id, as('status', statusBody('Q'.repeat(22), 'acknowledged')))
  })
})
