import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { deriveReporterKeys, linkOf, openThreadAsReporter, sealFollowup, sealReply, toB64, type InboxKeys } from '../../crypto/index'
import { normaliseReceipt } from '../../crypto/receipt'
import { nextLink } from '../support/chain'
import { json, reporterToken } from '../support/http'
import { firstAdminWithKeys, reviewApi, sqlAll } from '../support/review-api'
import { sealedSubmission } from '../support/seal'
import { startServer, tempDataDir, type RunningServer } from '../support/server'

/**
 * The server's part in chained threads, through the real server: a report is stored under the id
 * it signed, a message written on an old head is refused (409) and changes nothing, and a deleted
 * message keeps its link, so the reporter sees a deletion where it was and the next message in place.
 */
let server: RunningServer
let cookie = ''
let inboxId = ''
let inbox: InboxKeys
const api = reviewApi(() => server.url)
const count = async (id: string) => (await sqlAll<{ n: number }>(server.dbFile, 'SELECT COUNT(*) AS n FROM messages WHERE report_id = ?', [id]))[0].n

beforeAll(async () => {
  server = await startServer({ dataDir: tempDataDir('candour-chain-') })
  const admin = await firstAdminWithKeys(server)
  ;[cookie, inboxId, inbox] = [admin.cookie, admin.inboxId, admin.inbox]
})
afterAll(async () => server?.stop())

async function file() {
  const { receipt, body } = await sealedSubmission(inboxId, inbox, { categories: ['racism'], whatHappened: 'Seen at the desk', role: 'witness' })
  expect((await json(`${server.url}/api/reports`, { body })).status).toBe(201)
  return {
    id: body.reportId,
    receipt,
    boxPk: body.boxPk,
    body,
    keys: deriveReporterKeys(normaliseReceipt(receipt)),
    token: await reporterToken(server.url, receipt),
  }
}
const reply = async (r: Awaited<ReturnType<typeof file>>, text: string, chain = undefined as Awaited<ReturnType<typeof nextLink>> | undefined) => {
  const at = chain ?? (await nextLink(server.dbFile, r.id))
  const envelope = sealReply({ text, reviewer: 'Reviewer Wren', chain: at }, inbox, r.boxPk)
  return api.post('/api/review/triage/reply', { reportId: r.id, keyVersion: 1, envelope, prev: at.prev }, cookie)
}

describe('chained threads on the server', () => {
  it('stores a report under the id it signed, and refuses that id twice', async () => {
    const r = await file()
    expect(await sqlAll(server.dbFile, 'SELECT id FROM reports WHERE id = ?', [r.id])).toEqual([{ id: r.id }])
    const again = await sealedSubmission(inboxId, inbox, { categories: ['racism'], whatHappened: 'Again', role: 'witness' })
    const res = await json(`${server.url}/api/reports`, { body: { ...again.body, reportId: r.id } })
    expect(res.status).toBe(409)
    expect(res.body.error).toMatch(/id already exists/)
  })

  it('refuses a reply or follow-up written on an old head, and stores nothing', async () => {
    const r = await file()
    const stale = await nextLink(server.dbFile, r.id)
    expect((await reply(r, 'First')).status).toBe(200)
    const before = await count(r.id)
    const late = await reply(r, 'Written before the first arrived', stale)
    expect(late.status).toBe(409)
    expect(late.body.error).toMatch(/new message arrived/)
    const followup = sealFollowup('Also stale', r.keys, toB64(inbox.encryption.publicKey), [], stale)
    const res = await json(`${server.url}/api/reporter/messages`, { token: r.token, body: { keyVersion: 1, envelope: followup, prev: stale.prev } })
    expect(res.status).toBe(409)
    expect(await count(r.id)).toBe(before)
    // Signed again on the new head, it goes.
    expect((await reply(r, 'Written after reading the first')).status).toBe(200)
  })

  it('a deleted message keeps its link: the reporter sees a deletion, and the next message in place', async () => {
    const r = await file()
    expect((await reply(r, 'One')).status).toBe(200)
    expect((await reply(r, 'Two')).status).toBe(200)
    const [first] = await sqlAll<{ seq: number; envelope: string }>(
      server.dbFile,
      'SELECT seq, envelope FROM messages WHERE report_id = ? ORDER BY seq LIMIT 1',
      [r.id],
    )
    expect((await api.post('/api/review/triage/delete-message', { reportId: r.id, seq: first.seq, reason: 'unreadable' }, cookie)).status).toBe(200)
    expect(await sqlAll(server.dbFile, 'SELECT seq, link FROM message_gaps WHERE report_id = ?', [r.id])).toEqual([
      { seq: first.seq, link: linkOf(JSON.parse(first.envelope)) },
    ])
    expect((await reply(r, 'Three')).status).toBe(200)
    const wire = await json(`${server.url}/api/reporter/thread`, { token: r.token })
    const view = openThreadAsReporter(wire.body, r.keys)
    expect(view.messages.map((m) => [m.author, m.place, m.text])).toEqual([
      ['deleted', 'deleted', ''],
      ['reviewer', 'ok', 'Two'],
      ['reviewer', 'ok', 'Three'],
    ])
  })

  it('a damaged row in the thread is refused around, never a 5xx, and an admin can delete it', async () => {
    const r = await file()
    expect((await reply(r, 'Before the damage')).status).toBe(200)
    await sqlAll(
      server.dbFile,
      "INSERT INTO messages (report_id, seq, author_kind, key_version, envelope, created_day) VALUES (?, 2, 'reporter', 1, '{\"v\":1,\"body\":', '2026-12-01')",
      [r.id],
    )
    const stale = await reply(r, 'On the head before the damage', await nextLinkBefore(r.id))
    expect(stale.status).toBe(409)
    expect((await api.post('/api/review/triage/delete-message', { reportId: r.id, seq: 2, reason: 'unreadable' }, cookie)).status).toBe(200)
    expect(await sqlAll(server.dbFile, 'SELECT seq FROM message_gaps WHERE report_id = ?', [r.id])).toEqual([{ seq: 2 }])
  })
})

/** The head as it was before the newest row: what a writer that missed it would send. */
async function nextLinkBefore(reportId: string) {
  const [row] = await sqlAll<{ envelope: string }>(server.dbFile, 'SELECT envelope FROM messages WHERE report_id = ? AND seq = 1', [reportId])
  return { report: reportId, n: 2, prev: linkOf(JSON.parse(row.envelope)) }
}
