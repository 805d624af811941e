import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  deriveReporterKeys,
  linkOf,
  openMessage,
  openNote,
  openReport,
  openThreadAsReporter,
  sealFollowup,
  sealNote,
  sealReply,
  toB64,
  type ChainLink,
  type Envelope,
  type InboxKeys,
} from '../../crypto/index'
import { normaliseReceipt } from '../../crypto/receipt'
import { json, postForm, reporterToken, visibleText } from '../support/http'
import { firstAdminWithKeys, reviewApi, sqlAll } from '../support/review-api'
import { sealedSubmission } from '../support/seal'
import { startServer, tempDataDir, type RunningServer } from '../support/server'

/**
 * One stored envelope that no longer parses, as only a damaged disk could leave it (the server
 * checked every envelope when it arrived), through the real server: every read of the thread
 * still answers, with that row as an envelope that opens for no one and links as its stored text,
 * and the rest of the thread, the list and the no-JavaScript page as before.
 */
let server: RunningServer
let cookie = ''
let inboxId = ''
let inbox: InboxKeys
const api = reviewApi(() => server.url)

/** What a torn write leaves: the first part of the JSON text, cut mid-value. */
const DAMAGED = '{"v":1,"body":"q1Zy'
/** The link a damaged row is served under (server/reports.server.ts, storedLink). */
const damagedLink = (text: string) => linkOf({ body: toB64(new TextEncoder().encode(text)) })

type Filed = Awaited<ReturnType<typeof file>>
async function file(whatHappened: string) {
  const { receipt, body } = await sealedSubmission(inboxId, inbox, { categories: ['racism'], whatHappened, role: 'witness' })
  expect((await json(`${server.url}/api/reports`, { body })).status).toBe(201)
  return { id: body.reportId, receipt, boxPk: body.boxPk, keys: deriveReporterKeys(normaliseReceipt(receipt)), token: await reporterToken(server.url, receipt) }
}

const thread = async (r: Filed) => {
  const res = await json(`${server.url}/api/reporter/thread`, { token: r.token })
  return { res, view: res.status === 200 ? openThreadAsReporter(res.body, r.keys) : null }
}

/** A reply on the given head, or on the one the reporter's view gives. */
async function reply(r: Filed, text: string, head?: ChainLink) {
  const at = head ?? (await thread(r)).view!.chain.next
  const envelope = sealReply({ text, reviewer: 'Reviewer Wren', chain: at }, inbox, r.boxPk)
  return api.post('/api/review/triage/reply', { reportId: r.id, keyVersion: 1, envelope, prev: at.prev }, cookie)
}

async function followup(r: Filed, text: string) {
  const { view } = await thread(r)
  const at = view!.chain.next
  const envelope = sealFollowup(text, r.keys, toB64(inbox.encryption.publicKey), [], at)
  return json(`${server.url}/api/reporter/messages`, { token: r.token, body: { keyVersion: 1, envelope, prev: at.prev } })
}

/** Whether the inbox key opens a reviewer's wire message; a damaged row must not. */
function opens(m: { author: string; envelope: Envelope }, reporterSignPk: string): string | null {
  const opener = { as: 'inbox' as const, inbox: inbox.encryption }
  const inboxSignPk = toB64(inbox.identity.publicKey)
  try {
    if (m.author === 'note') return openNote(m.envelope, opener, inboxSignPk).text
    const opened = openMessage(m.envelope, opener, { reporterSignPk, inboxSignPk })
    return opened.kind === 'state' ? '' : opened.text
  } catch {
    return null
  }
}

let r: Filed
let brokenReport: Filed
let reporterSignPk = ''

beforeAll(async () => {
  server = await startServer({ dataDir: tempDataDir('candour-damaged-rows-') })
  const admin = await firstAdminWithKeys(server, { api })
  ;[cookie, inboxId, inbox] = [admin.cookie, admin.inboxId, admin.inbox]
  r = await file('Seen at the desk')
  reporterSignPk = toB64(r.keys.sign.publicKey)
  expect((await followup(r, 'One from the reporter')).status).toBe(201)
  expect((await reply(r, 'Two, to be damaged')).status).toBe(200)
  await sqlAll(server.dbFile, 'UPDATE messages SET envelope = ? WHERE report_id = ? AND seq = 2', [DAMAGED, r.id])
  // Written after the damage on the stored text's link, which the server takes as the head.
  expect((await reply(r, 'Three, after the damage', { report: r.id, n: 3, prev: damagedLink(DAMAGED) })).status).toBe(200)
  const note = sealNote({ text: 'Four, a note', by: 'Ada Admin' }, inbox)
  expect((await api.post('/api/review/triage/note', { reportId: r.id, keyVersion: 1, envelope: note }, cookie)).status).toBe(200)
  // A second report whose own sealed report is damaged: the list and its thread still answer.
  brokenReport = await file('A report to be damaged')
  await sqlAll(server.dbFile, 'UPDATE reports SET envelope = ? WHERE id = ?', [DAMAGED, brokenReport.id])
})
afterAll(async () => server?.stop())

describe('a damaged stored envelope', () => {
  it('is stored as damaged: the test really wrote text that does not parse', async () => {
    const rows = await sqlAll<{ envelope: string }>(server.dbFile, 'SELECT envelope FROM messages WHERE report_id = ? AND seq = 2', [r.id])
    expect(rows).toEqual([{ envelope: DAMAGED }])
    expect(() => JSON.parse(rows[0].envelope)).toThrow()
  })

  it('the reporter’s thread answers 200: that message could not be read, the others as written and in place', async () => {
    const { res, view } = await thread(r)
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    const damaged = res.body.messages.find((m: { seq: number }) => m.seq === 2)
    expect(linkOf(damaged.envelope)).toBe(damagedLink(DAMAGED))
    expect(view!.report).toBe('verified')
    expect(view!.messages.map((m) => [m.seq, m.author, m.verified, m.unreadable ?? false, m.text])).toEqual([
      [1, 'reporter', true, false, 'One from the reporter'],
      [2, 'reviewer', false, true, ''],
      [3, 'reviewer', true, false, 'Three, after the damage'],
    ])
    // Message 3 was placed on the damaged row's stored link: the served row links the same, so it sits in place.
    expect(view!.messages.map((m) => m.place)).toEqual(['ok', 'unverified', 'ok'])
    expect(view!.chain.next).toEqual({ report: r.id, n: 4, prev: linkOf(res.body.messages[2].envelope) })
  })

  it('the no-JavaScript check page answers 200: "could not be read" for that message, the others shown', async () => {
    const page = await postForm(`${server.url}/check`, { intent: 'open', receipt: r.receipt })
    expect(page.status).toBe(200)
    const text = visibleText(page.html)
    expect(text).toContain('One from the reporter')
    expect(text).toContain('Three, after the damage')
    expect(text).toContain('This message could not be read, so nothing of it is shown.')
    expect(page.html).not.toContain('q1Zy')
  })

  it('the reviewer’s opened report answers 200: that message does not open, the others and the note do', async () => {
    const res = await api.post('/api/review/triage/open', { reportId: r.id }, cookie)
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    expect(openReport(res.body.report.envelope, { as: 'inbox', inbox: inbox.encryption }).verified).toBe(true)
    expect(res.body.messages.map((m: { seq: number; author: string; envelope: Envelope }) => [m.seq, m.author, opens(m, reporterSignPk)])).toEqual([
      [1, 'reporter', 'One from the reporter'],
      [2, 'reviewer', null],
      [3, 'reviewer', 'Three, after the damage'],
      [4, 'note', 'Four, a note'],
    ])
    expect(linkOf(res.body.messages[1].envelope)).toBe(damagedLink(DAMAGED))
  })

  it('a damaged report: its thread, its opening and the list answer 200, with only that report unreadable', async () => {
    const { res, view } = await thread(brokenReport)
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    expect(view!.report).toBe('unreadable')
    const page = await postForm(`${server.url}/check`, { intent: 'open', receipt: brokenReport.receipt })
    expect(page.status).toBe(200)
    expect(visibleText(page.html)).toContain('Your report could not be read, so nothing of it is shown.')
    const opened = await api.post('/api/review/triage/open', { reportId: brokenReport.id }, cookie)
    expect(opened.status, JSON.stringify(opened.body)).toBe(200)
    expect(() => openReport(opened.body.report.envelope, { as: 'inbox', inbox: inbox.encryption })).toThrow()
    const list = await api.post('/api/review/triage/list', {}, cookie)
    expect(list.status, JSON.stringify(list.body)).toBe(200)
    const readable = (env: Envelope) => {
      try {
        return openReport(env, { as: 'inbox', inbox: inbox.encryption }).verified
      } catch {
        return false
      }
    }
    const rows = new Map(list.body.reports.map((x: { id: string; envelope: Envelope }) => [x.id, readable(x.envelope)]))
    expect(rows).toEqual(
      new Map([
        [r.id, true],
        [brokenReport.id, false],
      ]),
    )
  })

  it('answered no request with a 5xx', () => {
    expect(api.statuses.filter(([, status]) => status >= 500)).toEqual([])
  })
})
