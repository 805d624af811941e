import fs from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { deriveReporterKeys, openMessage, openThreadAsReporter, publishKey, sealNote, sealReply, toB64, type InboxKeys } from '../../crypto/index'
import { utf8 } from '../../crypto/encoding'
import { sealEnvelope } from '../../crypto/envelope'
import { normaliseReceipt } from '../../crypto/receipt'
import { json, loadInboxKeys, reporterToken } from '../support/http'
import { firstAdminWithKeys, reviewApi, sqlAll } from '../support/review-api'
import { sealedSubmission } from '../support/seal'
import { admin, createInbox, startServer, tempDataDir, type RunningServer } from '../support/server'

/** Reviewers reading and answering reports through the API, with real crypto and software passkeys. */
let server: RunningServer
let cookie = ''
let inboxId = ''
let inbox: InboxKeys // Ada's inbox, as her browser holds it after unlocking
let offline: { id: string; keys: InboxKeys } // an inbox Ada is NOT a member of
let mine: { id: string; receipt: string }
let theirs = ''
const api = reviewApi(() => server.url)
const post = (path: string, body: unknown) => api.post(path, body, cookie)
const reporter = () => deriveReporterKeys(normaliseReceipt(mine.receipt))

/** Files a sealed report as a browser would; returns its row id (looked up by locator, as the server does). */
async function file(id: string, keys: InboxKeys) {
  const { receipt, body } = await sealedSubmission(id, keys, { categories: ['racism'], whatHappened: 'Seen at the desk', role: 'witness' })
  const res = await json(`${server.url}/api/reports`, { body })
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  const [row] = await sqlAll<{ id: string }>(server.dbFile, 'SELECT id FROM reports WHERE locator = ?', [body.locator])
  return { id: row.id, receipt }
}
const reply = (text: string, keyVersion = 1) => ({
  reportId: mine.id,
  keyVersion,
  envelope: sealReply({ text, reviewer: 'Reviewer X', chain: null }, inbox, toB64(reporter().box.publicKey)),
})

beforeAll(async () => {
  const dataDir = tempDataDir('candour-triage-')
  const created = createInbox(dataDir, 'Independent Reviewer')
  server = await startServer({ dataDir })
  offline = { id: created.id, keys: await loadInboxKeys(created.keyFile) }
  const ada = await firstAdminWithKeys(server)
  ;({ cookie, inboxId, inbox } = ada)
  expect(publishKey(inbox).boxPk).toBe(ada.prepared.inbox.key.boxPk)
  mine = await file(inboxId, inbox)
  theirs = (await file(offline.id, offline.keys)).id
})

afterAll(async () => {
  await server?.stop()
  if (server) fs.rmSync(server.dataDir, { recursive: true, force: true })
})

describe('reviewer triage API', () => {
  it('refuses a non-member: list, open, reply and note are 403 and leave no trace', async () => {
    const before = await sqlAll(server.dbFile, 'SELECT seq FROM audit_log')
    expect((await post('/api/review/triage/list', { inboxId: offline.id })).status).toBe(403)
    expect((await post('/api/review/triage/open', { reportId: theirs })).status).toBe(403)
    const env = sealReply({ text: 'x', reviewer: 'Reviewer X', chain: null }, offline.keys, toB64(inbox.encryption.publicKey))
    expect((await post('/api/review/triage/reply', { reportId: theirs, keyVersion: 1, envelope: env })).status).toBe(403)
    expect(
      (await post('/api/review/triage/note', { reportId: theirs, keyVersion: 1, envelope: sealNote({ text: 'x', by: 'Ada' }, offline.keys) })).status,
    ).toBe(403)
    expect(await sqlAll(server.dbFile, 'SELECT seq FROM audit_log')).toEqual(before)
    expect(await sqlAll(server.dbFile, 'SELECT 1 FROM messages')).toEqual([])
  })

  it('refuses without a session (401) and for an unknown report (404)', async () => {
    expect((await api.post('/api/review/triage/list', { inboxId })).status).toBe(401)
    expect((await post('/api/review/triage/open', { reportId: 'A'.repeat(22) })).status).toBe(404)
  })

  it('lists the inbox as opaque rows with a stable pseudonym', async () => {
    const res = await post('/api/review/triage/list', { inboxId })
    expect(res.status).toBe(200)
    expect(res.body.reports).toHaveLength(1)
    const row = res.body.reports[0]
    expect(row).toMatchObject({ id: mine.id, keyVersion: 1, status: 'received', messageCount: 0 })
    expect(row.pseudonym).toMatch(/^[A-Z][a-z]+ [A-Z][a-z]+$/)
    expect(JSON.stringify(row)).not.toContain('Seen at the desk')
    expect((await post('/api/review/triage/list', { inboxId })).body.reports[0].pseudonym).toBe(row.pseudonym)
  })

  it('a listing is audited without counting the reports: a count per listing would bracket each arrival', async () => {
    expect((await post('/api/review/triage/list', { inboxId })).status).toBe(200)
    const listings = await sqlAll<{ detail: string }>(server.dbFile, "SELECT detail FROM audit_log WHERE action = 'inbox.list'")
    expect(listings.length).toBeGreaterThan(0)
    for (const l of listings) expect(JSON.parse(l.detail)).toEqual({})
  })

  it('opening appends report.open each time, returns the trail, and audit:verify still passes', async () => {
    const first = await post('/api/review/triage/open', { reportId: mine.id })
    expect(first.status).toBe(200)
    const second = await post('/api/review/triage/open', { reportId: mine.id })
    expect(second.body.trail.map((t: any) => [t.action, t.displayName])).toEqual([
      ['report.open', 'Ada Admin'],
      ['report.open', 'Ada Admin'],
    ])
    expect(second.body.me.pseudonym).toMatch(/^Reviewer [A-Z][a-z]+$/)
    const rows = await sqlAll(server.dbFile, "SELECT actor, subject FROM audit_log WHERE action = 'report.open'")
    expect(rows).toHaveLength(2)
    expect(rows[0].subject).toBe(mine.id)
    const verify = admin(server.dataDir, ['audit:verify'])
    expect(verify.code, verify.stderr).toBe(0)
    expect(verify.stdout).toContain('Audit log OK')
  })

  it('refuses a reply sealed to an old or unknown key version (409)', async () => {
    const res = await post('/api/review/triage/reply', reply('Thank you', 2))
    expect(res.status, JSON.stringify(res.body)).toBe(409)
  })

  it('refuses an oversize reply, and a reply without a reporter wrap (400)', async () => {
    const big = reply('x')
    big.envelope.body = 'A'.repeat(400_000)
    expect([400, 413]).toContain((await post('/api/review/triage/reply', big)).status)
    const noWrap = { ...reply('x'), envelope: sealEnvelope(utf8('{}'), inbox.encryption.publicKey, { kind: 'none' }) }
    expect((await post('/api/review/triage/reply', noWrap)).status).toBe(400)
    expect(await sqlAll(server.dbFile, 'SELECT 1 FROM messages')).toEqual([])
  })

  it('accepts a note without a reporter wrap, and refuses one that carries a reporter wrap', async () => {
    const ok = await post('/api/review/triage/note', { reportId: mine.id, keyVersion: 1, envelope: sealNote({ text: 'Check rota', by: 'Ada' }, inbox) })
    expect(ok.status, JSON.stringify(ok.body)).toBe(200)
    expect(ok.body).toMatchObject({ message: { seq: 1, author: 'note' }, status: 'received' })
    expect((await post('/api/review/triage/note', { ...reply('x'), reportId: mine.id })).status).toBe(400)
  })

  it('a first reply acknowledges the report; the reporter reads it and never the note', async () => {
    const res = await post('/api/review/triage/reply', reply('We have your report'))
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    expect(res.body).toMatchObject({ message: { seq: 2, author: 'reviewer' }, status: 'acknowledged' })
    const opened = openMessage(
      res.body.message.envelope,
      { as: 'inbox', inbox: inbox.encryption },
      { reporterSignPk: '', inboxSignPk: toB64(inbox.identity.publicKey) },
    )
    expect(opened).toMatchObject({ kind: 'reply', verified: true })
    const actions = await sqlAll(server.dbFile, 'SELECT action FROM audit_log WHERE subject = ? ORDER BY seq', [mine.id])
    expect(actions.map((a) => a.action)).toEqual(['report.open', 'report.open', 'report.note', 'report.reply', 'report.status'])
    const thread = await sqlAll(server.dbFile, 'SELECT author_kind FROM messages WHERE report_id = ? ORDER BY seq', [mine.id])
    expect(thread.map((t) => t.author_kind)).toEqual(['note', 'reviewer'])
    expect(admin(server.dataDir, ['audit:verify']).code).toBe(0)
    // The reporter's side: the thread API leaves the note out, and the reply verifies against the self-note.
    const token = await reporterToken(server.url, mine.receipt)
    const wire = await json(`${server.url}/api/reporter/thread`, { token })
    expect(wire.body.status).toBe('acknowledged')
    const view = openThreadAsReporter(wire.body, reporter())
    expect(view.messages).toEqual([
      {
        seq: 2,
        author: 'reviewer',
        day: expect.any(String),
        place: 'misplaced',
        text: 'We have your report',
        reviewer: 'Reviewer X',
        files: [],
        verified: true,
      },
    ])
  })
})
