import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import type { AddressInfo } from 'node:net'
import { SMTPServer } from 'smtp-server'
import sqlite3 from 'sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  deriveReporterKeys,
  formatReceipt,
  fromB64,
  openSealedSecret,
  openThreadAsReporter,
  sealFollowup,
  unwrapSecret,
  type InboxKeys,
} from '../../crypto/index'
import { normaliseReceipt } from '../../crypto/receipt'
import { prepareFirstAdmin, prepareReviewer } from '../../app/review/enrol.client'
import { reportPseudonym } from '../../server/reviewers/pseudonyms.server'
import { setupLink } from '../e2e/reviewer-helpers'
import { json, reporterToken, visibleText } from '../support/http'
import { reviewApi, sqlAll } from '../support/review-api'
import { sealedSubmission } from '../support/seal'
import { startServer, tempDataDir, type RunningServer } from '../support/server'
import { softPasskey } from '../support/soft-passkey'

/**
 * The reviewer's email digest end to end: a local SMTP server, the real portal pointed at it with
 * a one-second check, sealed reports with marker words, and the mail that arrives checked for
 * counts, the inbox name and the link, and for the absence of everything a reporter wrote.
 */
const PASSWORD = 'Smtp-Pa55word-Quetzal'
const ADA_EMAIL = 'ada.admin@force.example'
const BEA_EMAIL = 'bea.reviewer@force.example'
const MARKERS = ['Pangolin', 'Zeppelinish', 'Marmalade', 'Hullabaloo', 'Kerfuffle', 'Snollygoster']

type Mail = { to: string[]; raw: string }
const mails: Mail[] = []
const auths: Array<{ user: string; pass: string }> = []
let refuse = false
const smtp = new SMTPServer({
  authOptional: true,
  allowInsecureAuth: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  onAuth(auth, _session, cb) {
    auths.push({ user: auth.username ?? '', pass: auth.password ?? '' })
    cb(null, { user: auth.username })
  },
  onRcptTo(address, _session, cb) {
    // A refusal that quotes the address, as real servers do: the portal must not log it.
    cb(refuse ? Object.assign(new Error(`550 mailbox unavailable: ${address.address}`), { responseCode: 550 }) : null)
  },
  onData(stream, session, cb) {
    let raw = ''
    stream.setEncoding('utf8')
    stream.on('data', (d: string) => (raw += d))
    stream.on('end', () => {
      mails.push({ to: session.envelope.rcptTo.map((r) => r.address), raw })
      cb()
    })
  },
})

let server: RunningServer
let inboxId = ''
let inbox: InboxKeys
let ada = ''
let bea = ''
let beaId = ''
let smtpUrl = ''
const filed: Array<{ id: string; receipt: string }> = []
const api = reviewApi(() => server.url)
const db = <T = any>(sql: string, params: unknown[] = []) => sqlAll<T>(server.dbFile, sql, params)
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

async function waitForMails(n: number, ms = 15_000) {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(100)) if (mails.length >= n) return mails[n - 1]
  throw new Error(`expected ${n} mails, got ${mails.length}\n${server.output()}`)
}

/** The body as a reader sees it: quoted-printable or base64 undone, whichever nodemailer chose. */
function bodyText(raw: string): string {
  const split = raw.indexOf('\r\n\r\n')
  const head = raw.slice(0, split)
  const body = raw.slice(split + 4)
  const cte = head.match(/^Content-Transfer-Encoding:\s*(\S+)/im)?.[1].toLowerCase()
  if (cte === 'quoted-printable')
    return Buffer.from(
      body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, h) => String.fromCharCode(parseInt(h, 16))),
      'latin1',
    ).toString('utf8')
  if (cte === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
  return body
}
/** A header's value, unfolded (a long one continues on lines that start with white space). */
const header = (raw: string, name: string) =>
  raw
    .slice(0, raw.indexOf('\r\n\r\n'))
    .replace(/\r\n[ \t]+/g, ' ')
    .match(new RegExp(`^${name}:\\s*(.*)$`, 'im'))?.[1]

/** Files a sealed report with marker words in every free-text answer; returns its row id. */
async function file(words: string[]) {
  const { receipt, body } = await sealedSubmission(inboxId, inbox, {
    categories: ['racism'],
    whatHappened: `${words.join(' ')} at the desk`,
    where: `${words[0]} Street`,
    who: `Sergeant ${words[1] ?? words[0]}`,
    role: 'witness',
  })
  const res = await json(`${server.url}/api/reports`, { body })
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  const [row] = await db<{ id: string }>('SELECT id FROM reports WHERE locator = ?', [body.locator])
  filed.push({ id: row.id, receipt })
  return row.id
}

/**
 * Moves a report's day and its messages' days back one day, as if it had arrived yesterday: the
 * digest counts nothing from today, so that its send time never dates an arrival finer than a day.
 */
/**
 * Files reports and their messages a day earlier, in one transaction: the portal's digest checks
 * run on their own clock and must never count a report moved back without its messages.
 */
function dayBack(...reportIds: string[]): Promise<void> {
  if (!reportIds.every((id) => /^[A-Za-z0-9_-]+$/.test(id))) throw new Error('not a report id')
  const ids = reportIds.map((id) => `'${id}'`).join(', ')
  return new Promise((resolve, reject) => {
    const d = new sqlite3.Database(server.dbFile, (err) => {
      if (err) return reject(err)
      d.configure('busyTimeout', 5000)
      d.exec(
        `BEGIN IMMEDIATE;
         UPDATE reports SET received_day = date(received_day, '-1 day') WHERE id IN (${ids});
         UPDATE messages SET created_day = date(created_day, '-1 day') WHERE report_id IN (${ids});
         COMMIT;`,
        (e) => d.close(() => (e ? reject(e) : resolve())),
      )
    })
  })
}

/** The reporter of a filed report writes again, sealed as the browser would. */
async function followUp(reportId: string, text: string) {
  const { receipt } = filed.find((r) => r.id === reportId)!
  const reporter = deriveReporterKeys(normaliseReceipt(receipt))
  const token = await reporterToken(server.url, receipt)
  const view = openThreadAsReporter((await json(`${server.url}/api/reporter/thread`, { token })).body, reporter)
  const envelope = sealFollowup(text, reporter, view.sealTo!.boxPk, [], view.chain.next)
  expect((await json(`${server.url}/api/reporter/messages`, { body: { keyVersion: 1, envelope }, token })).status).toBe(201)
}

const today = () => new Date().toISOString().slice(0, 10)

/** Sets who last got a digest when, as if time had passed (waiting an hour is not a test). */
const lastSent = (reviewerId: string, msAgo: number) =>
  db('UPDATE reviewer_digests SET last_sent_at = ? WHERE reviewer_id = ?', [new Date(Date.now() - msAgo).toISOString(), reviewerId])

/** The first admin of a fresh server, with the inbox made at setup; returns the session cookie. */
async function firstAdmin(s: RunningServer, post = reviewApi(() => s.url).post) {
  const token = new URL(await setupLink(s)).hash.slice(1)
  const opts = await post('/api/review/setup/options', { token, displayName: 'Ada Admin' })
  const prepared = await prepareFirstAdmin({ kind: 'prf', prf: randomBytes(32) }, { name: 'Professional Standards', description: '' })
  const done = await post('/api/review/setup/complete', {
    ceremonyId: opts.body.ceremonyId,
    registration: softPasskey(s.url).register(opts.body.options),
    reviewer: prepared.reviewer,
    inbox: prepared.inbox,
  })
  expect(done.status, JSON.stringify(done.body)).toBe(201)
  return { cookie: done.cookie, id: done.body.reviewer.id as string, inboxId: done.body.inboxes[0].id as string, prepared }
}

const digestRows = () => db('SELECT * FROM reviewer_digests ORDER BY reviewer_id')
const auditCount = async () => (await db<{ n: number }>('SELECT COUNT(*) AS n FROM audit_log'))[0].n

beforeAll(async () => {
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve))
  const port = (smtp.server.address() as AddressInfo).port
  smtpUrl = `smtp://digest-user:${PASSWORD}@127.0.0.1:${port}`
  server = await startServer({ dataDir: tempDataDir('candour-digest-'), env: { SMTP_URL: smtpUrl, DIGEST_CHECK_SECONDS: '1', LOG_LEVEL: 'trace' } })
  const admin = await firstAdmin(server, api.post)
  ada = admin.cookie
  inboxId = admin.inboxId
  const { prepared } = admin
  const rKey = { publicKey: fromB64(prepared.reviewer.boxPk), privateKey: unwrapSecret(prepared.reviewer.keyWrap, prepared.wrapKey) }
  inbox = {
    keyVersion: 1,
    identity: { publicKey: fromB64(prepared.inbox.key.signPk), privateKey: openSealedSecret(prepared.inbox.signSkWrap, rKey) },
    encryption: { publicKey: fromB64(prepared.inbox.key.boxPk), privateKey: openSealedSecret(prepared.inbox.boxSkWrap, rKey) },
  }
  // Bea: a second reviewer, invited but in no inbox yet.
  const inv = await api.post('/api/review/invites', { displayName: 'Bea Reviewer', role: 'reviewer', inboxIds: [inboxId] }, ada)
  const opts = await api.post('/api/review/invite/options', { token: new URL(inv.body.link).hash.slice(1) })
  const beaPrepared = await prepareReviewer({ kind: 'prf', prf: randomBytes(32) })
  const done = await api.post('/api/review/invite/complete', {
    ceremonyId: opts.body.ceremonyId,
    registration: softPasskey(server.url).register(opts.body.options),
    reviewer: beaPrepared.reviewer,
  })
  expect(done.status, JSON.stringify(done.body)).toBe(201)
  bea = done.cookie
  beaId = done.body.reviewer.id
})

afterAll(async () => {
  await server?.stop()
  if (server) fs.rmSync(server.dataDir, { recursive: true, force: true })
  await new Promise<void>((resolve) => smtp.close(() => resolve()))
})

describe('email digest settings', () => {
  it('refuses bad bodies with a 400 that changes nothing, and asks for a session', async () => {
    const before = { rows: await digestRows(), audit: await auditCount() }
    const bad: unknown[] = [
      {},
      { email: 'not-an-address', every: 'daily' },
      { email: ADA_EMAIL, every: 'monthly' },
      { email: ADA_EMAIL },
      { email: `${'a'.repeat(250)}@force.example`, every: 'daily' },
      { email: `${ADA_EMAIL}\r\nBcc: someone@elsewhere.example`, every: 'daily' },
      { email: ADA_EMAIL, every: 'daily', reviewerId: 'someone-else-entirely' },
      { email: 42, every: 'daily' },
      [ADA_EMAIL, 'daily'],
      null,
    ]
    for (const body of bad) {
      const res = await api.post('/api/review/digest', body, ada)
      expect(res.status, JSON.stringify(body)).toBe(400)
      expect(typeof res.body.error).toBe('string')
      expect(JSON.stringify(res.body)).not.toContain('someone@elsewhere')
    }
    expect((await api.post('/api/review/digest', { email: ADA_EMAIL, every: 'daily' })).status).toBe(401)
    const getRes = await fetch(`${server.url}/api/review/digest`, { headers: { cookie: ada } })
    expect(getRes.status).toBe(405)
    expect({ rows: await digestRows(), audit: await auditCount() }).toEqual(before)
  })

  it('each reviewer sets only their own digest; the address stays out of the audit log', async () => {
    const res = await api.post('/api/review/digest', { email: BEA_EMAIL, every: 'daily' }, bea)
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    expect(res.body).toMatchObject({ enabled: true, email: BEA_EMAIL, every: 'daily', lastSentAt: null })
    const rows = await digestRows()
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ email: BEA_EMAIL, every: 'daily', last_sent_at: null })
    const audit = await db<{ actor: string; action: string; subject: string; detail: string }>(
      "SELECT actor, action, subject, detail FROM audit_log WHERE action LIKE 'digest.%'",
    )
    expect(audit).toEqual([{ actor: `reviewer:${rows[0].reviewer_id}`, action: 'digest.set', subject: rows[0].reviewer_id, detail: '{"every":"daily"}' }])
    expect(JSON.stringify(await db('SELECT * FROM audit_log'))).not.toContain('force.example')
    // Bea is in no inbox yet, so there is nothing to tell her: no mail, however long we wait.
    await sleep(2500)
    expect(mails).toHaveLength(0)
  })

  it('the settings page offers the digest and never shows the SMTP settings', async () => {
    const res = await fetch(`${server.url}/review/settings`, { headers: { cookie: bea } })
    const html = await res.text()
    expect(res.status).toBe(200)
    const text = visibleText(html)
    expect(text).toContain('Email digest')
    expect(text).toContain('counts only')
    expect(text).toContain(
      'Counts cover reports and messages up to the end of yesterday (UTC), so the time an email arrives never tells anyone when a report arrived.',
    )
    expect(text).toContain(`On: sent to ${BEA_EMAIL}, at most once a day. None sent yet.`)
    expect(html).toMatch(/<input[^>]*type="email"/)
    expect(text).not.toContain('Digests are off on this server')
    expect(html).not.toContain(PASSWORD)
    expect(html).not.toContain('digest-user')
  })
})

describe('the digest itself', () => {
  let first: Mail
  let adaId = ''

  it('arrives with the counts, the inbox name and the link, and nothing a reporter wrote', async () => {
    const [r1, r2, r3, r4] = [
      await file(MARKERS.slice(0, 2)),
      await file(MARKERS.slice(2, 4)),
      await file(MARKERS.slice(4, 6)),
      await file([MARKERS[0], MARKERS[5]]),
    ]
    // r1: opened, then the reporter writes again (new messages). r2: unopened and 10 days old (new and
    // overdue). r3: unopened (new). r4: opened, closed long ago and due for deletion within 14 days.
    // r1 and r3 (and r1's follow-up) arrived yesterday: the digest counts nothing from today.
    expect((await api.post('/api/review/triage/open', { reportId: r1 }, ada)).status).toBe(200)
    expect((await api.post('/api/review/triage/open', { reportId: r4 }, ada)).status).toBe(200)
    await followUp(r1, `${MARKERS[3]} follow-up: it happened again`)
    await dayBack(r1, r3)
    await db("UPDATE reports SET received_day = date('now', '-10 days') WHERE id = ?", [r2])
    await db(
      `UPDATE reports SET status = 'closed', outcome = 'no-further-action', received_day = date('now', '-370 days'),
         acknowledged_day = date('now', '-369 days'), feedback_day = date('now', '-365 days'), closed_day = date('now', '-360 days') WHERE id = ?`,
      [r4],
    )
    expect(mails).toHaveLength(0)

    const res = await api.post('/api/review/digest', { email: ADA_EMAIL, every: 'hourly' }, ada)
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    first = await waitForMails(1)
    expect(first.to).toEqual([ADA_EMAIL])
    // No page to take a language from, and no stored preference: every language, English first.
    expect(header(first.raw, 'Subject')).toBe('Candour: activity in your inboxes | Candour: gweithgarwch yn eich blychau derbyn')
    expect(header(first.raw, 'From')).toContain('no-reply@localhost')
    const text = bodyText(first.raw)
    expect(text).toContain(
      '2 new reports, 1 report with new messages, 1 report not acknowledged within 7 days, 1 closed report to be deleted within 14 days in Professional Standards.',
    )
    expect(text).toMatch(new RegExp(`${server.url}/review\\r?\\n`))
    expect(text).toContain('counts only')
    expect(text).toContain(
      "2 adroddiad newydd, 1 adroddiad gyda negeseuon newydd, 1 adroddiad heb ei gydnabod o fewn 7 diwrnod, 1 adroddiad caeedig i'w ddileu o fewn 14 diwrnod yn Professional Standards.",
    )
    expect(text).toMatch(new RegExp(`${server.url}/review\\?lang=cy\\r?\\n`))
    // The portal signed in to the SMTP server with the password from SMTP_URL.
    expect(auths).toContainEqual({ user: 'digest-user', pass: PASSWORD })

    for (const s of [first.raw, text]) {
      for (const w of [...MARKERS, 'racism', 'Racism', 'witness', 'Sergeant', 'Bea Reviewer', 'Ada Admin', BEA_EMAIL]) expect(s).not.toContain(w)
      for (const r of filed) {
        expect(s).not.toContain(r.id)
        expect(s).not.toContain(reportPseudonym(r.id))
        expect(s).not.toContain(formatReceipt(normaliseReceipt(r.receipt)))
        expect(s).not.toContain(normaliseReceipt(r.receipt))
      }
    }
    // The mail server has the message before the portal hears its 250 and records the send.
    const sent = async () => (await db('SELECT * FROM reviewer_digests WHERE email = ?', [ADA_EMAIL]))[0]
    await expect.poll(async () => (await sent()).last_sent_at).not.toBeNull()
    const row = await sent()
    adaId = row.reviewer_id
    expect(JSON.parse(row.last_counts)).toEqual([{ inboxId, newReports: 2, newMessages: 1, overdue: 1, deleting: 1 }])
  })

  it('sends nothing more while nothing changes, even once the interval has passed', async () => {
    await sleep(2500)
    expect(mails).toHaveLength(1)
    await lastSent(adaId, 2 * 3_600_000)
    await sleep(2500)
    expect(mails).toHaveLength(1)
  })

  it('a report or message from today is not counted and sends nothing, even once the interval has passed; a day later it is', async () => {
    await lastSent(adaId, 2 * 3_600_000) // due
    const before = (await digestRows()).find((r) => r.reviewer_id === adaId)
    // x: a new report today. y: filed and opened today, then the reporter writes again today.
    const x = await file(['Hullabaloo', 'Pangolin'])
    const y = await file(['Zeppelinish', 'Snollygoster'])
    expect((await api.post('/api/review/triage/open', { reportId: y }, ada)).status).toBe(200)
    await followUp(y, `${MARKERS[4]} follow-up: and again today`)
    const days = await db<{ received_day: string }>('SELECT received_day FROM reports WHERE id IN (?, ?)', [x, y])
    expect(days.map((d) => d.received_day)).toEqual([today(), today()])
    await sleep(3500)
    expect(mails).toHaveLength(1)
    expect((await digestRows()).find((r) => r.reviewer_id === adaId)).toEqual(before)

    // The same report and message, had they arrived yesterday: now they count, at the next check.
    await dayBack(x, y)
    const second = await waitForMails(2)
    const text = bodyText(second.raw)
    expect(text).toContain(
      '3 new reports, 2 reports with new messages, 1 report not acknowledged within 7 days, 1 closed report to be deleted within 14 days in Professional Standards.',
    )
    expect(text).toContain('up to the end of yesterday (UTC)')
    // The row is updated once the SMTP server has accepted the mail, a moment after it arrives here.
    const expected = JSON.stringify([{ inboxId, newReports: 3, newMessages: 2, overdue: 1, deleting: 1 }])
    const lastCounts = async () => (await digestRows()).find((r) => r.reviewer_id === adaId).last_counts
    for (const end = Date.now() + 5_000; Date.now() < end && (await lastCounts()) !== expected;) await sleep(100)
    expect(await lastCounts()).toBe(expected)
  })

  it('a new report waits for the interval (hourly), then comes in the next digest', async () => {
    await lastSent(adaId, 10 * 60_000) // sent 10 minutes ago: not due
    const before = (await digestRows()).find((r) => r.reviewer_id === adaId)
    await dayBack(await file(['Hullabaloo']))
    await sleep(2500)
    expect(mails).toHaveLength(2)
    expect((await digestRows()).find((r) => r.reviewer_id === adaId)).toEqual(before)
    await lastSent(adaId, 61 * 60_000) // and now it is
    const third = await waitForMails(3)
    expect(bodyText(third.raw)).toContain('4 new reports, 2 reports with new messages, 1 report not acknowledged within 7 days')
    expect(bodyText(third.raw)).toContain('at most once an hour')
    await sleep(2500)
    expect(mails).toHaveLength(3)
  })

  it('a refused send is logged by error name only and retried at the next check', async () => {
    refuse = true
    await dayBack(await file(['Kerfuffle']))
    await lastSent(adaId, 2 * 3_600_000)
    for (const end = Date.now() + 15_000; Date.now() < end && !/digest: sending failed/.test(server.output());) await sleep(100)
    expect(server.output()).toMatch(/"error":"\w+","msg":"digest: sending failed/)
    const row = (await digestRows()).find((r) => r.reviewer_id === adaId)
    expect(JSON.parse(row.last_counts)[0].newReports).toBe(4) // unchanged: nothing counts as sent
    refuse = false
    const fourth = await waitForMails(4)
    expect(bodyText(fourth.raw)).toContain('5 new reports')
  })

  it('turning it off, or removing the reviewer, deletes the address; the server log never held an address or the SMTP password', async () => {
    const off = await api.post('/api/review/digest', { email: null }, ada)
    expect(off.status, JSON.stringify(off.body)).toBe(200)
    expect(off.body).toMatchObject({ email: null, every: null })
    expect((await digestRows()).map((r) => r.email)).toEqual([BEA_EMAIL])
    // Removing a reviewer forgets their address at the next check.
    expect((await api.post('/api/review/reviewers/remove', { reviewerId: beaId }, ada)).status).toBe(200)
    for (const end = Date.now() + 10_000; Date.now() < end && (await digestRows()).length;) await sleep(100)
    expect(await digestRows()).toEqual([])
    await dayBack(await file(['Snollygoster']))
    await sleep(2500)
    expect(mails).toHaveLength(4)
    const out = server.output()
    for (const s of [ADA_EMAIL, BEA_EMAIL, 'force.example', PASSWORD, smtpUrl, 'digest-user', ...MARKERS]) expect(out).not.toContain(s)
    // Every digest sent, not just the first, carried nothing a reporter wrote and no report's day.
    for (const m of mails) {
      const body = bodyText(m.raw)
      for (const s of [m.raw, body]) {
        for (const w of [...MARKERS, 'racism', 'Racism', 'witness', 'Sergeant', 'Bea Reviewer', 'Ada Admin', BEA_EMAIL]) expect(s).not.toContain(w)
        for (const r of filed) expect(s).not.toContain(r.id)
      }
      expect(body).not.toMatch(/\d{4}-\d{2}-\d{2}/)
    }
  })
})

describe('a server without SMTP', () => {
  it('says digests are off and refuses an address (409), while turning off still works', async () => {
    const plain = await startServer({ dataDir: tempDataDir('candour-digest-off-') })
    try {
      const post = reviewApi(() => plain.url).post
      const { cookie } = await firstAdmin(plain, post)
      const page = visibleText(await (await fetch(`${plain.url}/review/settings`, { headers: { cookie } })).text())
      expect(page).toContain('Digests are off on this server')
      const res = await post('/api/review/digest', { email: ADA_EMAIL, every: 'daily' }, cookie)
      expect(res.status).toBe(409)
      expect(res.body.error).toContain('Digests are off on this server')
      expect((await post('/api/review/digest', { email: null }, cookie)).status).toBe(200)
      expect(await sqlAll(plain.dbFile, 'SELECT * FROM reviewer_digests')).toEqual([])
    } finally {
      await plain.stop()
      fs.rmSync(plain.dataDir, { recursive: true, force: true })
    }
  })
})
