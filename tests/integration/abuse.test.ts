import fs from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { deriveReporterKeys, fromB64, sign, toB64, type InboxKeys } from '../../crypto/index'
import { powBodyHash, solvePowSlice, type PowChallenge } from '../../crypto/pow'
import { countRows, json, loadInboxKeys, postForm, receiptFromPage, visibleText } from '../support/http'
import { challengeFor, proofFor } from '../support/pow'
import { sealedSubmission } from '../support/seal'
import { createInbox, startServer, tempDataDir, type RunningServer } from '../support/server'

/**
 * Abuse resistance without tracking (decision 12): proof of work on the JS submit and sign-in,
 * per-code sign-in limits, a honeypot and a shared budget for no-JS form posts. Small limits here.
 */
let server: RunningServer
let inbox: { id: string; keyFile: string }
let inboxKeys: InboxKeys

const answers = (what: string) => ({ categories: ['bullying'], whatHappened: what, when: '', where: '', who: '', role: '', contact: '' })
const difficulty = async () => ((await json(`${server.url}/api/pow?purpose=report`)).body as PowChallenge).difficulty

async function file(what: string) {
  const { receipt, body } = await sealedSubmission(inbox.id, inboxKeys, answers(what))
  const res = await json(`${server.url}/api/reports`, { body })
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  return { receipt, keys: deriveReporterKeys(receipt) }
}

beforeAll(async () => {
  const dataDir = tempDataDir()
  inbox = createInbox(dataDir)
  inboxKeys = await loadInboxKeys(inbox.keyFile)
  server = await startServer({
    dataDir,
    env: { POW_BASE_BITS: '4', POW_MAX_BITS: '12', POW_BUSY_PER_MINUTE: '3', POW_STEP_PER_MINUTE: '2', LOGIN_ATTEMPTS_PER_HOUR: '3' },
  })
})

afterAll(async () => {
  await server?.stop()
  if (server) fs.rmSync(server.dataDir, { recursive: true, force: true })
})

describe('proof of work (JS paths)', () => {
  it('difficulty rises under a burst of submissions', async () => {
    expect(await difficulty()).toBe(4)
    for (let i = 0; i < 5; i++) await file(`Burst report ${i}`)
    // 5 in the last minute: the busy threshold (3) adds one bit, each 2 more another.
    expect(await difficulty()).toBe(6)
  })

  it('GET and POST /api/pow both give a challenge for the purpose asked, never cached', async () => {
    for (const res of [await json(`${server.url}/api/pow?purpose=upload`), await json(`${server.url}/api/pow?purpose=upload`, { body: {} })]) {
      expect(res.status).toBe(200)
      expect(Object.keys(res.body).sort()).toEqual(['challenge', 'difficulty', 'expires', 'mac', 'purpose', 'seq', 'window'])
      expect(res.body.purpose).toBe('upload')
      expect(res.headers.get('cache-control')).toBe('no-store')
    }
    for (const q of ['', '?purpose=', '?purpose=Report', '?purpose=admin']) expect((await json(`${server.url}/api/pow${q}`)).status, q).toBe(400)
  })

  it('a report without a proof, or with a bad one: 400, nothing stored', async () => {
    const before = await countRows(server.dbFile)
    const { body } = await sealedSubmission(inbox.id, inboxKeys, answers('No proof'))
    const missing = await json(`${server.url}/api/reports`, { body, proof: false })
    expect(missing.status).toBe(400)
    expect(missing.body.error).toMatch(/device check/)

    const good = await proofFor(server.url, 'report', body)
    const tampered = await json(`${server.url}/api/reports`, { body: { ...body, pow: { ...good, difficulty: 0 } } })
    expect(tampered.status).toBe(400)
    expect(tampered.body.error).toMatch(/did not pass/)

    const c = await challengeFor(server.url, 'report')
    let wrong = 0
    while (solvePowSlice(c, powBodyHash(body), wrong, 1) !== null) wrong++
    const unsolved = await json(`${server.url}/api/reports`, { body: { ...body, pow: { ...c, nonce: wrong } } })
    expect(unsolved.status).toBe(400)

    const shapeless = await json(`${server.url}/api/reports`, { body: { ...body, pow: { nonce: 1 } } })
    expect(shapeless.status).toBe(400)
    expect(shapeless.body.error).toMatch(/^pow\./)
    expect(await countRows(server.dbFile)).toBe(before)
  })

  it('a proof is single use: the second report with it is refused and not stored', async () => {
    const before = await countRows(server.dbFile)
    const one = await sealedSubmission(inbox.id, inboxKeys, answers('First with this proof'))
    const pow = await proofFor(server.url, 'report', one.body)
    expect((await json(`${server.url}/api/reports`, { body: { ...one.body, pow } })).status).toBe(201)
    // The same body again (a replay): refused as used.
    const again = await json(`${server.url}/api/reports`, { body: { ...one.body, pow } })
    expect(again.status).toBe(400)
    expect(again.body.error).toMatch(/already used/)
    expect(await countRows(server.dbFile)).toBe(before + 1)
  })

  it('the sign-in challenge wants a proof too', async () => {
    const f = await file('Sign-in needs proof')
    const res = await json(`${server.url}/api/reporter/challenge`, { body: { locator: f.keys.locator }, proof: false })
    expect(res.status).toBe(400)
    expect(res.body.error).toMatch(/device check/)
  })
})

describe('per-code sign-in limit', () => {
  it('after 3 attempts a code gets 429 for an hour, while another code still signs in', async () => {
    const a = await file('Locked-out report')
    const b = await file('Still-open report')
    const challenge = (locator: string) => json(`${server.url}/api/reporter/challenge`, { body: { locator } })
    // A wrong signature, then two challenges left unused: three attempts.
    const first = await challenge(a.keys.locator)
    expect(first.status).toBe(200)
    const forged = toB64(sign('login', fromB64(first.body.challenge), b.keys.sign.privateKey))
    expect((await json(`${server.url}/api/reporter/login`, { body: { challengeId: first.body.challengeId, signature: forged } })).status).toBe(401)
    expect((await challenge(a.keys.locator)).status).toBe(200)
    expect((await challenge(a.keys.locator)).status).toBe(200)
    const locked = await challenge(a.keys.locator)
    expect(locked.status).toBe(429)
    expect(locked.body.error).toBe('Too many attempts for this code; wait an hour.')

    // Another code is not touched, and its successful sign-ins count too (decision 20), so one
    // receipt cannot sign in without end and churn everyone's sessions.
    for (let i = 0; i < 3; i++) {
      const c = await challenge(b.keys.locator)
      expect(c.status).toBe(200)
      const signature = toB64(sign('login', fromB64(c.body.challenge), b.keys.sign.privateKey))
      expect((await json(`${server.url}/api/reporter/login`, { body: { challengeId: c.body.challengeId, signature } })).status).toBe(200)
    }
    expect((await challenge(b.keys.locator)).status).toBe(429)
  })
})

describe('honeypot (no JS)', () => {
  it('the forms carry a hidden, unreachable "Leave this empty" field', async () => {
    for (const page of ['/report', '/check']) {
      const html = await (await fetch(`${server.url}${page}`)).text()
      expect(html).toMatch(
        /<div class="visually-hidden" aria-hidden="true"><label for="homepage">Leave this empty<\/label><input id="homepage" name="homepage" type="text" tabindex="-1" autocomplete="off"/i,
      )
    }
  })

  it('a filled honeypot gets a normal receipt page, but nothing is stored and the code opens nothing', async () => {
    const before = await countRows(server.dbFile)
    const fields: Array<[string, string]> = [
      ['inboxId', inbox.id],
      ['categories', 'racism'],
      ['whatHappened', 'Robot text with a link to buy things'],
      ['homepage', 'http://spam.example'],
    ]
    const review = await postForm(`${server.url}/report`, [['intent', 'review'], ...fields])
    expect(review.status).toBe(200)
    // The review page carries the trap on to the send step.
    expect(review.html).toMatch(/name="homepage" value="http:\/\/spam.example"/)
    const sent = await postForm(`${server.url}/report`, [['intent', 'send'], ...fields])
    expect(sent.status).toBe(200)
    const receipt = receiptFromPage(sent.html)
    expect(visibleText(sent.html)).toContain('Your report has been sent')
    expect(await countRows(server.dbFile)).toBe(before)
    const opened = await postForm(`${server.url}/check`, { intent: 'open', receipt })
    expect(visibleText(opened.html)).toContain('No report matches this receipt code')
  })

  it('a filled honeypot on /check answers "no report" even for a real code', async () => {
    const real = await postForm(`${server.url}/report`, [
      ['intent', 'send'],
      ['inboxId', inbox.id],
      ['categories', 'racism'],
      ['whatHappened', 'A real one'],
    ])
    const receipt = receiptFromPage(real.html)
    const res = await postForm(`${server.url}/check`, { intent: 'open', receipt, homepage: 'x' })
    expect(res.status).toBe(200)
    expect(visibleText(res.html)).toContain('No report matches this receipt code')
    expect(visibleText((await postForm(`${server.url}/check`, { intent: 'open', receipt })).html)).toContain('No replies yet')
  })
})

describe('shared budget for no-JS form posts', () => {
  let small: RunningServer
  beforeAll(async () => {
    const dataDir = tempDataDir()
    createInbox(dataDir)
    small = await startServer({ dataDir, env: { NOJS_POSTS_PER_MINUTE: '1', NOJS_POSTS_BURST: '3' } })
  })
  afterAll(async () => {
    await small?.stop()
    if (small) fs.rmSync(small.dataDir, { recursive: true, force: true })
  })

  it('after the burst, /report, /check and /check/download posts get a clear 429; pages and the JS API still answer', async () => {
    const before = await countRows(small.dbFile)
    for (let i = 0; i < 3; i++) expect((await postForm(`${small.url}/check`, { intent: 'open', receipt: 'nonsense' })).status).toBe(200)
    for (const path of ['/report', '/check', '/check/download']) {
      const res = await postForm(`${small.url}${path}`, { intent: 'send', whatHappened: 'throttled' })
      expect(res.status).toBe(429)
      expect(visibleText(res.html)).toContain('Candour is busy. Too many forms are being sent right now. Nothing was sent or saved.')
      expect(visibleText(res.html)).toContain('Wait a minute, then go back and send the form again.')
    }
    expect(await countRows(small.dbFile)).toBe(before)
    expect((await fetch(`${small.url}/report`)).status).toBe(200)
    expect((await json(`${small.url}/api/pow?purpose=report`)).status).toBe(200)
  })
})
