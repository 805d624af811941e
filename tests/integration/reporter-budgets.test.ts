import fs from 'node:fs'
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { deriveReporterKeys, formatReceipt, fromB64, openThreadAsReporter, sealFollowup, sign, toB64, type InboxKeys } from '../../crypto/index'
import { sealEnvelope } from '../../crypto/envelope'
import { sealFile } from '../../crypto/files'
import { signedText } from '../support/poison-corpus'
import { FILE_LIMITS } from '#common/limits'
import { countRows, json, loadInboxKeys, postForm, visibleText } from '../support/http'
import { sqlAll } from '../support/review-api'
import { sealedSubmission } from '../support/seal'
import { createInbox, errorLines, startServer, tempDataDir, type RunningServer } from '../support/server'

/**
 * Reporter sessions and follow-ups have budgets (decision 20): sessions and pending sign-ins are
 * capped per report and one report never pushes out another's; successful logins count toward the
 * per-code limit; follow-ups are budgeted per session and per report per day, with and without
 * JavaScript, and a refusal says so and hands the words back.
 */
let server: RunningServer
let inbox: { id: string; keys: InboxKeys }
const ENV = {
  REPORTER_SESSIONS_MAX: '4',
  REPORTER_SESSIONS_PER_REPORT: '2',
  REPORTER_PENDING_PER_REPORT: '2',
  LOGIN_ATTEMPTS_PER_HOUR: '6',
  FOLLOWUPS_PER_SESSION: '3',
  FOLLOWUPS_PER_REPORT_DAY: '5',
  FOLLOWUP_MIB_PER_SESSION: '1',
  FILE_MAX_MIB: '2',
}

type Filed = { receipt: string; keys: ReturnType<typeof deriveReporterKeys> }
async function file(): Promise<Filed> {
  const { receipt, body } = await sealedSubmission(inbox.id, inbox.keys, { categories: ['sexism'], whatHappened: 'Remarks at the depot.' })
  const res = await json(`${server.url}/api/reports`, { body })
  if (res.status !== 201) throw new Error(`could not file: ${JSON.stringify(res.body)}`)
  return { receipt, keys: deriveReporterKeys(receipt) }
}
const challenge = (f: Filed) => json(`${server.url}/api/reporter/challenge`, { body: { locator: f.keys.locator } })
async function loginWith(f: Filed, c: { challengeId: string; challenge: string }) {
  const signature = toB64(sign('login', fromB64(c.challenge), f.keys.sign.privateKey))
  return json(`${server.url}/api/reporter/login`, { body: { challengeId: c.challengeId, signature } })
}
async function signIn(f: Filed): Promise<string> {
  const c = await challenge(f)
  expect(c.status, JSON.stringify(c.body)).toBe(200)
  const l = await loginWith(f, c.body)
  expect(l.status, JSON.stringify(l.body)).toBe(200)
  return l.body.token
}
const thread = (token: string) => json(`${server.url}/api/reporter/thread`, { token })
const live = async (token: string) => (await thread(token)).status === 200

async function followup(f: Filed, token: string, text: string, files?: Array<{ id: string; token: string }>) {
  const view = openThreadAsReporter((await thread(token)).body, f.keys)
  const envelope = sealFollowup(text, f.keys, view.sealTo!.boxPk, [], view.chain.next)
  return json(`${server.url}/api/reporter/messages`, { body: { keyVersion: view.sealTo!.keyVersion, envelope, ...(files ? { files } : {}) }, token })
}

beforeAll(async () => {
  const dataDir = tempDataDir('candour-reporter-budgets-')
  const created = createInbox(dataDir)
  inbox = { id: created.id, keys: await loadInboxKeys(created.keyFile) }
  server = await startServer({ dataDir, env: ENV })
})

afterAll(async () => {
  await server?.stop()
  if (server) fs.rmSync(server.dataDir, { recursive: true, force: true })
  expect(errorLines(server.output())).toEqual([])
})

describe('sessions and sign-ins, per report', () => {
  it('a report has at most its number of sessions: a new login ends its own oldest', async () => {
    const a = await file()
    const [t1, t2, t3] = [await signIn(a), await signIn(a), await signIn(a)]
    expect([await live(t1), await live(t2), await live(t3)]).toEqual([false, true, true])
  })

  it("a full store ends the asking report's own session before anyone else's", async () => {
    // Four places: B, then A, C and D. A signing in again must not push B (the oldest) out.
    const [a, b, c, d] = [await file(), await file(), await file(), await file()]
    const tb = await signIn(b)
    const ta = await signIn(a)
    const tc = await signIn(c)
    const td = await signIn(d)
    const ta2 = await signIn(a)
    expect([await live(tb), await live(ta), await live(tc), await live(td), await live(ta2)]).toEqual([true, false, true, true, true])
  })

  it("one receipt signing in over and over never ends another report's session", async () => {
    const [victim, attacker] = [await file(), await file()]
    const tv = await signIn(victim)
    for (let i = 0; i < 6; i++) await signIn(attacker)
    expect(await live(tv)).toBe(true)
  })

  it('successful logins count toward the per-code limit', async () => {
    const a = await file()
    for (let i = 0; i < 6; i++) await signIn(a)
    const seventh = await challenge(a)
    expect(seventh.status).toBe(429)
    expect(seventh.body.error).toBe('Too many attempts for this code; wait an hour.')
  })

  it('a report has at most its number of pending sign-ins: a new one ends its own oldest', async () => {
    const a = await file()
    const [c1, c2, c3] = [(await challenge(a)).body, (await challenge(a)).body, (await challenge(a)).body]
    const first = await loginWith(a, c1)
    expect(first.status).toBe(400)
    expect(first.body.error).toMatch(/already used or never existed/)
    expect((await loginWith(a, c2)).status).toBe(200)
    expect((await loginWith(a, c3)).status).toBe(200)
  })
})

describe('follow-up budgets', () => {
  it("60 follow-ups of 128 KiB at once from one session: only the session's budget is stored, the rest are 429 in words", async () => {
    const a = await file()
    const token = await signIn(a)
    const view = openThreadAsReporter((await thread(token)).body, a.keys)
    // Sealed by hand, as a hostile client would: the seal verbs refuse a text this long, but the
    // server cannot tell, and a sealed body up to the largest bucket (128 KiB) is well formed.
    const big = 'x'.repeat(100_000)
    const raw = (text: string) =>
      sealEnvelope(signedText('followup', JSON.stringify({ type: 'followup', text }), a.keys.sign.privateKey), fromB64(view.sealTo!.boxPk), {
        kind: 'self',
        noteKey: a.keys.noteKey,
      })
    const before = await countRows(server.dbFile, 'messages')
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) => json(`${server.url}/api/reporter/messages`, { body: { keyVersion: 1, envelope: raw(`${i} ${big}`) }, token })),
    )
    expect(results.filter((r) => r.status === 201)).toHaveLength(3)
    const refused = results.filter((r) => r.status === 429)
    expect(refused).toHaveLength(57)
    expect(refused[0].body.error).toBe(
      'This visit has sent 3 messages, the most one visit can send. Your message was not sent. It is still in the box below: open your report again with your receipt code to send it.',
    )
    expect(await countRows(server.dbFile, 'messages')).toBe(before + 3)
  })

  it("a new session carries on until the report's day is spent (5), then a 429 that says so", async () => {
    const a = await file()
    const s1 = await signIn(a)
    for (let i = 0; i < 3; i++) expect((await followup(a, s1, `first visit ${i}`)).status).toBe(201)
    const s2 = await signIn(a)
    for (let i = 0; i < 2; i++) expect((await followup(a, s2, `second visit ${i}`)).status).toBe(201)
    const sixth = await followup(a, s2, 'one too many')
    expect(sixth.status).toBe(429)
    expect(sixth.body.error).toMatch(/^Your report has had 5 messages today, the most it can take in a day\. Your message was not sent\./)
  })

  it('attached file bytes count: a file that takes the session past its MiB is refused and stays unattached', async () => {
    const a = await file()
    const token = await signIn(a)
    const { ciphertext } = sealFile(new Uint8Array(randomBytes(1024 * 1024)))
    const made = await json(`${server.url}/api/files`, { body: { paddedSize: ciphertext.length } })
    expect(made.status).toBe(201)
    for (let at = 0; at < ciphertext.length; at += FILE_LIMITS.uploadRequestBytes) {
      const res = await fetch(`${server.url}/api/files/${made.body.id}?offset=${at}`, {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream', authorization: `Bearer ${made.body.token}` },
        body: Buffer.from(ciphertext.subarray(at, at + FILE_LIMITS.uploadRequestBytes)),
      })
      expect(res.status).toBe(200)
      await res.text()
    }
    const res = await followup(a, token, 'the recording', [{ id: made.body.id, token: made.body.token }])
    expect(res.status).toBe(429)
    expect(res.body.error).toMatch(/^This message would take this visit past 1 MiB of messages and files/)
    // Nothing was stored, the file is still the uploader's, and a message without it goes.
    expect(await sqlAll(server.dbFile, 'SELECT report_id FROM blobs WHERE id = ?', [made.body.id])).toEqual([{ report_id: null }])
    expect((await followup(a, token, 'without the recording')).status).toBe(201)
  })

  it("without JavaScript: the day's budget holds, the page answers 429 in words and hands the words back", async () => {
    const a = await file()
    const receipt = formatReceipt(a.receipt)
    const open = await postForm(`${server.url}/check`, { intent: 'open', receipt })
    expect(visibleText(open.html)).toContain('Your report can take 5 messages and 3 GiB of messages and files a day.')
    for (let i = 0; i < 5; i++) {
      const r = await postForm(`${server.url}/check`, { intent: 'followup', receipt, message: `plain ${i}` })
      expect(r.status).toBe(200)
      expect(visibleText(r.html)).toContain('Your message was sealed and sent.')
    }
    const words = 'PLAIN-OTTER: the names I left out'
    const refused = await postForm(`${server.url}/check`, { intent: 'followup', receipt, message: words })
    expect(refused.status).toBe(429)
    const text = visibleText(refused.html)
    expect(text).toContain('Your report has had 5 messages today, the most it can take in a day. Your message was not sent. It is still in the box below')
    expect(text).toContain('Your report') // still the thread, not the code form
    expect(refused.html).toMatch(new RegExp(`<textarea[^>]*name="message"[^>]*>${words}</textarea>`))
  })
})
