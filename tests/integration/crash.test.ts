import fs from 'node:fs'
import net from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  deriveReporterKeys,
  fromB64,
  newReceipt,
  openFile,
  openMessage,
  openNote,
  openReport,
  sealFollowup,
  sealNote,
  sealReply,
  sealReport,
  publishKey,
  toB64,
  type Envelope,
  type InboxKeys,
} from '../../crypto/index'
import { sealFile } from '../../crypto/files'
import { normaliseReceipt } from '../../crypto/receipt'
import { json, postForm, receiptFromPage, reporterToken } from '../support/http'
import { firstAdminWithKeys, reviewApi, sqlAll } from '../support/review-api'
import { admin, startServer, tempDataDir, type RunningServer } from '../support/server'
import type { softPasskey } from '../support/soft-passkey'

/**
 * Crash safety under a mixed workload: reports with and without JavaScript, reports with an
 * evidence file, follow-ups with and without JavaScript, replies and status changes, from several
 * clients at once, while the server is killed with SIGKILL at random moments and restarted on the
 * same data. Afterwards every acknowledged operation is there whole, nothing refused is there at
 * all, whatever was in flight is either whole or absent, and the audit chain verifies.
 */
const LIVES = 11
const OPS_PER_LIFE = 100
const WORKERS = 4

type Outcome = 'acked' | 'refused' | 'unknown'
type Report = { receipt: string; what: string; outcome: Outcome; id?: string; file?: Uint8Array; status: 'received' | 'acknowledged' | 'assessing' }
type Message = { reportLocator: string; text: string; kind: 'followup' | 'reply' | 'note'; outcome: Outcome }

let dataDir = ''
let server: RunningServer
let inbox: InboxKeys
let inboxId = ''
let passkey: ReturnType<typeof softPasskey>
let cookie = ''
const api = reviewApi(() => server.url)
const reports = new Map<string, Report>() // by locator
const messages: Message[] = []
const statusAcks: Array<{ locator: string; to: Report['status'] }> = []
const surprises: string[] = []
let ops = 0

const answers = (what: string) => ({ categories: ['bullying'], whatHappened: what, when: '', where: '', who: '', role: '', contact: '' })
const locatorOf = (receipt: string) => deriveReporterKeys(normaliseReceipt(receipt)).locator
const pick = <T>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)]
const ackedReports = () => [...reports.entries()].filter(([, r]) => r.outcome === 'acked' && r.id)

/** Runs one request; a dead connection is "unknown", a 4xx "refused", a 5xx a failure of the test. */
async function attempt(what: string, fn: () => Promise<number>): Promise<Outcome> {
  let status: number
  try {
    status = await fn()
  } catch {
    return 'unknown'
  }
  if (status >= 500) surprises.push(`${what}: ${status}`)
  return status < 300 ? 'acked' : 'refused'
}

async function jsReport(withFile: boolean) {
  const receipt = newReceipt()
  const what = `Crash report ${ops}${withFile ? ' with a file' : ''}: shouted at in the custody suite.`
  const r: Report = { receipt, what, outcome: 'unknown', status: 'received' }
  reports.set(locatorOf(receipt), r)
  let files: Array<{ id: string; token: string }> = []
  let refs: Parameters<typeof sealReport>[3] = []
  if (withFile) {
    r.file = new Uint8Array(Buffer.from(`${what}\n`.repeat(300)))
    const { key, ciphertext } = sealFile(r.file)
    const made = await json(`${server.url}/api/files`, { body: { paddedSize: ciphertext.length } })
    if (made.status !== 201) throw new Error(`upload: ${made.status}`)
    const put = await fetch(`${server.url}/api/files/${made.body.id}?offset=0`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream', authorization: `Bearer ${made.body.token}` },
      body: Buffer.from(ciphertext),
    })
    if (put.status !== 200) throw new Error(`upload piece: ${put.status}`)
    files = [{ id: made.body.id, token: made.body.token }]
    refs = [{ id: made.body.id, name: 'evidence.txt', type: 'text/plain', size: r.file.length, key: toB64(key) }]
  }
  const sealed = sealReport(answers(what), receipt, { ...publishKey(inbox), inboxId }, refs)
  r.outcome = await attempt('report', async () => (await json(`${server.url}/api/reports`, { body: { ...sealed, ...(files.length ? { files } : {}) } })).status)
}

async function noJsReport() {
  const receipt = newReceipt()
  const what = `Crash report ${ops} without JavaScript.`
  const r: Report = { receipt, what, outcome: 'unknown', status: 'received' }
  reports.set(locatorOf(receipt), r)
  r.outcome = await attempt('no-JS report', async () => {
    const res = await postForm(`${server.url}/report`, [
      ['intent', 'send'],
      ['inboxId', inboxId],
      ['categories', 'bullying'],
      ['whatHappened', what],
      ['receipt', receipt],
    ])
    if (res.status === 200 && receiptFromPage(res.html).replace(/-/g, '') !== normaliseReceipt(receipt)) surprises.push('no-JS report: another receipt')
    return res.status
  })
}

async function followup(js: boolean) {
  const [locator, r] = pick(ackedReports())
  const m: Message = { reportLocator: locator, text: `Follow-up ${ops} (${js ? 'JS' : 'no JS'}) to ${r.what}`, kind: 'followup', outcome: 'unknown' }
  messages.push(m)
  m.outcome = await attempt('follow-up', async () => {
    if (!js)
      return (
        await postForm(`${server.url}/check`, [
          ['intent', 'followup'],
          ['receipt', r.receipt],
          ['message', m.text],
        ])
      ).status
    const token = await reporterToken(server.url, r.receipt)
    const envelope = sealFollowup(m.text, deriveReporterKeys(normaliseReceipt(r.receipt)), toB64(inbox.encryption.publicKey), [], null)
    return (await json(`${server.url}/api/reporter/messages`, { token, body: { keyVersion: 1, envelope } })).status
  })
}

async function reply() {
  const [locator, r] = pick(ackedReports())
  const m: Message = { reportLocator: locator, text: `Reply ${ops} to ${r.what}`, kind: 'reply', outcome: 'unknown' }
  messages.push(m)
  const boxPk = toB64(deriveReporterKeys(normaliseReceipt(r.receipt)).box.publicKey)
  m.outcome = await attempt('reply', async () => {
    const res = await api.post(
      '/api/review/triage/reply',
      { reportId: r.id, keyVersion: 1, envelope: sealReply({ text: m.text, reviewer: 'Reviewer R', chain: null }, inbox, boxPk) },
      cookie,
    )
    // A first reply acknowledges the report.
    if (res.status === 200 && r.status === 'received') r.status = 'acknowledged'
    return res.status
  })
}

async function statusChange() {
  const [locator, r] = pick(ackedReports())
  if (r.status === 'assessing') return
  const to = r.status === 'received' ? 'acknowledged' : 'assessing'
  const reason = to === 'assessing' ? { text: `Reason ${ops}: assessing ${r.what}`, by: 'Ada' } : null
  if (reason) messages.push({ reportLocator: locator, text: reason.text, kind: 'note', outcome: 'unknown' })
  const note = reason ? messages.at(-1)! : null
  const outcome = await attempt('status', async () => {
    const body = reason ? { reportId: r.id, to, keyVersion: 1, reason: sealNote(reason, inbox) } : { reportId: r.id, to }
    return (await api.post('/api/review/triage/status', body, cookie)).status
  })
  if (note) note.outcome = outcome
  if (outcome === 'acked') {
    r.status = to
    statusAcks.push({ locator, to })
  }
}

/** One client: random operations until the server is gone or the life's work is done. */
async function worker(life: { down: boolean }) {
  while (!life.down) {
    ops++
    const roll = Math.random()
    const settled = ackedReports().length > 0
    try {
      if (!settled || roll < 0.3) await jsReport(false)
      else if (roll < 0.4) await noJsReport()
      else if (roll < 0.45) await jsReport(true)
      else if (roll < 0.6) await followup(Math.random() < 0.7)
      else if (roll < 0.8) await reply()
      else await statusChange()
    } catch {
      // A step before the acknowledged request died with the server: nothing was claimed.
    }
  }
}

async function signIn() {
  const opts = await api.post('/api/review/sign-in/options', {})
  const done = await api.post('/api/review/sign-in', { ceremonyId: opts.body.ceremonyId, assertion: passkey.assert(opts.body.options) })
  if (done.status !== 200) throw new Error(`sign-in: ${done.status} ${JSON.stringify(done.body)}`)
  cookie = done.cookie
}

/** Row ids of reports acknowledged in the last life, for follow-ups, replies and status changes. */
async function learnIds() {
  for (const [locator, r] of reports)
    if (r.outcome === 'acked' && !r.id) r.id = (await sqlAll<{ id: string }>(server.dbFile, 'SELECT id FROM reports WHERE locator = ?', [locator]))[0]?.id
}

async function life() {
  server = await startServer({ dataDir, env: LIMITS })
  await signIn()
  const state = { down: false }
  const start = ops
  const workers = Array.from({ length: WORKERS }, () => worker(state))
  while (ops - start < OPS_PER_LIFE) {
    await new Promise((r) => setTimeout(r, 20))
    await learnIds()
  }
  await new Promise((r) => setTimeout(r, Math.random() * 150))
  await server.kill('SIGKILL')
  state.down = true
  await Promise.all(workers)
  await learnIds()
}

// Fast proofs and no per-code limit: the test is about durability, not abuse resistance. One port
// for every life, since the reviewer's passkey is bound to the origin.
const LIMITS = { POW_BASE_BITS: '0', POW_MAX_BITS: '0', LOGIN_ATTEMPTS_PER_HOUR: '10000', PORT: '' }

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo
      s.close(() => resolve(port))
    })
  })

beforeAll(async () => {
  LIMITS.PORT = String(await freePort())
  dataDir = tempDataDir('candour-crash-')
  server = await startServer({ dataDir, env: LIMITS })
  const ada = await firstAdminWithKeys(server, { api })
  ;({ inboxId, inbox, passkey } = ada)
  await server.stop()
}, 120_000)

afterAll(async () => {
  await server?.stop()
  fs.rmSync(dataDir, { recursive: true, force: true })
})

describe('SIGKILL during a mixed workload', () => {
  it('every acknowledged operation survives whole, nothing refused or half-done is there, the audit chain verifies', { timeout: 600_000 }, async () => {
    for (let i = 0; i < LIVES; i++) await life()
    expect(surprises).toEqual([])
    expect(ops).toBeGreaterThanOrEqual(1000)

    const rows = await sqlAll<{ id: string; locator: string; envelope: string; status: string; sign_pk: string }>(
      server.dbFile,
      'SELECT id, locator, envelope, status, sign_pk FROM reports',
    )
    const stored = new Map(rows.map((r) => [r.locator, r]))
    const opener = { as: 'inbox' as const, inbox: inbox.encryption }
    for (const [locator, r] of reports) {
      const row = stored.get(locator)
      if (r.outcome === 'acked') expect(row, `acknowledged report lost: ${r.what}`).toBeDefined()
      if (r.outcome === 'refused') expect(row, `refused report stored: ${r.what}`).toBeUndefined()
      if (!row) continue
      const opened = openReport(JSON.parse(row.envelope) as Envelope, opener)
      expect(opened.verified).toBe(true)
      expect(opened.answers).toEqual(answers(r.what))
      if (r.file) {
        // A report with a file is there with its file whole, or not at all.
        const blobs = await sqlAll<{ id: string; received: number; padded_size: number }>(
          server.dbFile,
          'SELECT id, received, padded_size FROM blobs WHERE report_id = ?',
          [row.id],
        )
        expect(blobs).toHaveLength(1)
        expect(blobs[0].received).toBe(blobs[0].padded_size)
        const bytes = new Uint8Array(fs.readFileSync(`${dataDir}/blobs/${blobs[0].id}`))
        expect(Buffer.from(openFile(fromB64(opened.files[0].key), bytes, opened.files[0].size)).equals(Buffer.from(r.file))).toBe(true)
      }
      const order = ['received', 'acknowledged', 'assessing']
      expect(order.indexOf(row.status), `status went back: ${r.what}`).toBeGreaterThanOrEqual(order.indexOf(r.status))
    }
    for (const row of rows) expect(reports.has(row.locator), 'a stored report nobody sent').toBe(true)

    const stored2 = await sqlAll<{ report_id: string; author_kind: string; envelope: string }>(
      server.dbFile,
      'SELECT report_id, author_kind, envelope FROM messages',
    )
    const texts = new Set<string>()
    const byId = new Map(rows.map((r) => [r.id, r]))
    for (const m of stored2) {
      const report = byId.get(m.report_id)!
      const signPk = openReport(JSON.parse(report.envelope) as Envelope, opener).reporter.signPk
      const env = JSON.parse(m.envelope) as Envelope
      const opened =
        m.author_kind === 'note'
          ? openNote(env, opener, toB64(inbox.identity.publicKey))
          : openMessage(env, opener, { reporterSignPk: signPk, inboxSignPk: toB64(inbox.identity.publicKey) })
      expect(opened.verified).toBe(true)
      texts.add(opened.text)
    }
    for (const m of messages) {
      if (m.outcome === 'acked') expect(texts.has(m.text), `acknowledged ${m.kind} lost: ${m.text}`).toBe(true)
      if (m.outcome === 'refused') expect(texts.has(m.text), `refused ${m.kind} stored: ${m.text}`).toBe(false)
    }
    expect(texts.size).toBeLessThanOrEqual(messages.length)

    const [check] = await sqlAll<{ integrity_check: string }>(server.dbFile, 'PRAGMA integrity_check')
    expect(check.integrity_check).toBe('ok')
    const audit = admin(dataDir, ['audit:verify'])
    expect(audit.code, audit.stderr).toBe(0)
    const count = (o: Outcome) => [...reports.values()].filter((r) => r.outcome === o).length + messages.filter((m) => m.outcome === o).length
    console.log(
      `crash test: ${LIVES} SIGKILLs, ${ops} operations (${reports.size} reports, ${messages.length} messages, ${statusAcks.length} status changes acknowledged); ` +
        `${count('acked')} acknowledged, ${count('refused')} refused, ${count('unknown')} in flight; ${rows.length} reports and ${stored2.length} messages stored, all whole; ` +
        `integrity_check ok; ${audit.stdout.trim()}`,
    )
  })
})
