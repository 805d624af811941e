import fs from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  deriveReporterKeys,
  formatReceipt,
  fromB64,
  newReceipt,
  openThreadAsReporter,
  sealFollowup,
  sign,
  toB64,
  type InboxKeys,
  type SealedReport,
} from '../../crypto/index'
import { RECEIPT_SYMBOLS } from '../../crypto/receipt'
import { countRows, json, loadInboxKeys, openInboxCli, postForm, receiptFromPage, reporterToken, todayUtc, visibleText } from '../support/http'
import { sealedSubmission } from '../support/seal'
import { createInbox, errorLines, startServer, tempDataDir, type RunningServer } from '../support/server'

/** Receipt login both ways (signed challenge with JS, posted receipt without) and follow-ups. */
let server: RunningServer
let inbox: { id: string; keyFile: string }
let inboxKeys: InboxKeys
type Filed = { receipt: string; body: SealedReport; keys: ReturnType<typeof deriveReporterKeys> }
let a: Filed
let b: Filed
/** Server output caused by the wrong-method test, checked there and left out of the final log check. */
let wrongMethodLog = ''

const answersA = {
  categories: ['sexism'],
  whatHappened: 'Alpha report: remarks about women drivers at the depot.',
  when: '',
  where: '',
  who: '',
  role: '',
  contact: '',
}
const answersB = {
  categories: ['homophobia'],
  whatHappened: 'Bravo report: jokes on the team group chat.',
  when: '',
  where: '',
  who: '',
  role: '',
  contact: '',
}

async function file(answers: unknown): Promise<Filed> {
  const { receipt, body } = await sealedSubmission(inbox.id, inboxKeys, answers)
  const res = await json(`${server.url}/api/reports`, { body })
  if (res.status !== 201) throw new Error(`could not file: ${JSON.stringify(res.body)}`)
  return { receipt, body, keys: deriveReporterKeys(receipt) }
}

const challenge = (locator: string, url = server.url) => json(`${url}/api/reporter/challenge`, { body: { locator } })
const login = (challengeId: string, signature: string, url = server.url) => json(`${url}/api/reporter/login`, { body: { challengeId, signature } })
const signChallenge = (c: string, f: Filed) => toB64(sign('login', fromB64(c), f.keys.sign.privateKey))

const signIn = (f: { receipt: string }, url = server.url) => reporterToken(url, f.receipt)
const thread = (token?: string) => json(`${server.url}/api/reporter/thread`, { token })

beforeAll(async () => {
  const dataDir = tempDataDir()
  inbox = createInbox(dataDir)
  inboxKeys = await loadInboxKeys(inbox.keyFile)
  server = await startServer({ dataDir })
  a = await file(answersA)
  b = await file(answersB)
})

afterAll(async () => {
  await server?.stop()
  if (server) fs.rmSync(server.dataDir, { recursive: true, force: true })
})

describe('receipt login with JavaScript (signed challenge)', () => {
  let token = ''

  it('challenge → signature → token → the opaque thread, which opens with the receipt alone', async () => {
    const c = await challenge(a.keys.locator)
    expect(c.status).toBe(200)
    expect(Object.keys(c.body).sort()).toEqual(['challenge', 'challengeId', 'expiresInSeconds'])
    expect(fromB64(c.body.challengeId)).toHaveLength(16)
    expect(fromB64(c.body.challenge)).toHaveLength(32)
    const l = await login(c.body.challengeId, signChallenge(c.body.challenge, a))
    expect(l.status).toBe(200)
    expect(Object.keys(l.body)).toEqual(['token'])
    token = l.body.token
    const t = await thread(token)
    expect(t.status).toBe(200)
    expect(t.body.receivedDay).toBe(todayUtc())
    expect(t.body.status).toBe('received')
    expect(t.body.messages).toEqual([])
    // Opaque: the thread carries no plaintext.
    expect(JSON.stringify(t.body)).not.toContain('Alpha report')
    const view = openThreadAsReporter(t.body, a.keys)
    expect(view.answers).toEqual(answersA)
    expect(view.pinned?.inboxId).toBe(inbox.id)
    expect(view.sealTo?.keyVersion).toBe(1)
  })

  it('a follow-up sealed in the browser is stored, shown in the thread and verified by the offline CLI', async () => {
    const t = await thread(token)
    const view = openThreadAsReporter(t.body, a.keys)
    const text = 'Alpha follow-up: it happened again on Monday.'
    const envelope = sealFollowup(text, a.keys, view.sealTo!.boxPk, [], view.chain.next)
    const res = await json(`${server.url}/api/reporter/messages`, {
      body: { keyVersion: view.sealTo!.keyVersion, envelope, prev: view.chain.next.prev },
      token,
    })
    expect(res.status).toBe(201)
    const after = openThreadAsReporter((await thread(token)).body, a.keys)
    expect(after.messages).toEqual([{ seq: 1, author: 'reporter', day: todayUtc(), place: 'ok', text, files: [], verified: true }])
    const out = openInboxCli(server.dataDir, inbox.keyFile)
    expect(out).toContain(`--- Reporter · ${todayUtc()} · signature verified\n  │ ${text}`)
    expect(out).not.toContain('NOT VERIFIED')
  })

  it('a token for report A only ever returns report A, never B', async () => {
    const tA = (await thread(token)).body
    const tB = (await thread(await signIn(b))).body
    expect(tA.selfNote).toBe(a.body.selfNote)
    expect(tA.envelope).toEqual(a.body.envelope)
    expect(tB.selfNote).toBe(b.body.selfNote)
    expect(tA.selfNote).not.toBe(tB.selfNote)
    expect(tA.envelope.body).not.toBe(tB.envelope.body)
    // B's follow-ups are not in A's thread, and B's receipt cannot open A's thread.
    expect(tB.messages).toEqual([])
    expect(() => openThreadAsReporter(tA, b.keys)).toThrow()
    // Query strings and headers naming another report change nothing.
    const sneaky = await fetch(`${server.url}/api/reporter/thread?locator=${b.keys.locator}`, {
      headers: { authorization: `Bearer ${token}`, 'x-locator': b.keys.locator },
    })
    expect((await sneaky.json()).selfNote).toBe(a.body.selfNote)
  })

  it('follow-up refusals: wrong key version 409, bad envelope 400, no token 401; nothing stored', async () => {
    const before = await countRows(server.dbFile, 'messages')
    const view = openThreadAsReporter((await thread(token)).body, a.keys)
    const envelope = sealFollowup('never stored', a.keys, view.sealTo!.boxPk, [], view.chain.next)
    const post = (body: unknown, t: string | undefined = token) => json(`${server.url}/api/reporter/messages`, { body, token: t })
    const wrongVersion = await post({ keyVersion: 2, envelope })
    expect(wrongVersion.status).toBe(409)
    expect(wrongVersion.body.error).toMatch(/newer key/)
    const { reporter: _, ...noWrap } = envelope
    for (const bad of [
      { keyVersion: 1, envelope: noWrap },
      { keyVersion: 1, envelope: { ...envelope, body: envelope.body.slice(0, -8) } },
      { keyVersion: 1, envelope: { ...envelope, inbox: 'short' } },
      { keyVersion: 1, envelope, extra: true },
      { keyVersion: 1 },
    ]) {
      const res = await post(bad)
      expect(res.status, JSON.stringify(bad).slice(0, 80)).toBe(400)
      expect(typeof res.body.error).toBe('string')
    }
    expect((await post({ keyVersion: 1, envelope }, '')).status).toBe(401)
    expect((await post({ keyVersion: 1, envelope }, 'x'.repeat(43))).status).toBe(401)
    expect((await json(`${server.url}/api/reporter/messages`, { raw: 'nope', token })).status).toBe(400)
    expect(await countRows(server.dbFile, 'messages')).toBe(before)
  })
})

describe('one report, many requests', () => {
  it('five follow-ups sent at once are all kept, in order, each verified', async () => {
    const token = await signIn(a)
    const view = openThreadAsReporter((await thread(token)).body, a.keys)
    const texts = [1, 2, 3, 4, 5].map((n) => `Alpha burst message ${n}`)
    const results = await Promise.all(
      texts.map((text) =>
        json(`${server.url}/api/reporter/messages`, {
          body: { keyVersion: 1, envelope: sealFollowup(text, a.keys, view.sealTo!.boxPk, [], view.chain.next) },
          token,
        }),
      ),
    )
    expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201, 201])
    const after = openThreadAsReporter((await thread(token)).body, a.keys)
    const burst = after.messages.filter((m) => m.text.startsWith('Alpha burst'))
    expect(burst.map((m) => m.text).sort()).toEqual(texts)
    expect(burst.every((m) => m.verified && m.author === 'reporter')).toBe(true)
    expect(after.messages.map((m) => m.seq)).toEqual(after.messages.map((_, i) => i + 1))
  })

  it('wrong methods on the reporter API: a clear 405 with {error}, not a generic server error', async () => {
    for (const path of ['challenge', 'login', 'messages']) {
      const res = await json(`${server.url}/api/reporter/${path}`)
      expect(res.status, path).toBe(405)
      expect(res.body.error, path).toMatch(/Use POST/)
    }
    const mark = server.output().length
    const post = await json(`${server.url}/api/reporter/thread`, { method: 'POST', body: {} })
    await new Promise((r) => setTimeout(r, 100))
    wrongMethodLog = server.output().slice(mark)
    expect(post.status).toBe(405)
    // Today: {"message":"Unexpected Server Error"}, and an error line in the log (see report).
    expect(post.body).toHaveProperty('error')
    expect(errorLines(wrongMethodLog)).toEqual([])
  })
})

describe('receipt login refusals', () => {
  it('an unknown locator: 404', async () => {
    const res = await challenge(deriveReporterKeys(newReceipt()).locator)
    expect(res.status).toBe(404)
    expect(res.body.error).toMatch(/No report matches/)
  })

  it('a malformed locator or extra field: 400', async () => {
    expect((await challenge('short')).status).toBe(400)
    const extra = await json(`${server.url}/api/reporter/challenge`, { body: { locator: a.keys.locator, receipt: a.receipt } })
    expect(extra.status).toBe(400)
  })

  it('a replayed challenge: the second use is 400', async () => {
    const c = await challenge(a.keys.locator)
    const sig = signChallenge(c.body.challenge, a)
    expect((await login(c.body.challengeId, sig)).status).toBe(200)
    const replay = await login(c.body.challengeId, sig)
    expect(replay.status).toBe(400)
    expect(replay.body.error).toMatch(/already used/)
  })

  it('a signature by the wrong key: 401, and the challenge is spent', async () => {
    const c = await challenge(a.keys.locator)
    const wrong = await login(c.body.challengeId, signChallenge(c.body.challenge, b))
    expect(wrong.status).toBe(401)
    expect(wrong.body.error).toMatch(/could not be confirmed/)
    // A right signature after a wrong one does not rescue the attempt.
    expect((await login(c.body.challengeId, signChallenge(c.body.challenge, a))).status).toBe(400)
  })

  it('a signature over another challenge, or for another purpose: 401', async () => {
    const c1 = await challenge(a.keys.locator)
    const c2 = await challenge(a.keys.locator)
    expect((await login(c2.body.challengeId, signChallenge(c1.body.challenge, a))).status).toBe(401)
    const c3 = await challenge(a.keys.locator)
    const asFollowup = toB64(sign('followup', fromB64(c3.body.challenge), a.keys.sign.privateKey))
    expect((await login(c3.body.challengeId, asFollowup)).status).toBe(401)
  })

  it('a malformed signature or challenge id: 400', async () => {
    const c = await challenge(a.keys.locator)
    const sig = signChallenge(c.body.challenge, a)
    expect((await login(c.body.challengeId, sig.slice(0, -4))).status).toBe(400)
    expect((await login(c.body.challengeId, `${sig}AAAA`)).status).toBe(400)
    expect((await login('nope', sig)).status).toBe(400)
    expect((await json(`${server.url}/api/reporter/login`, { raw: '{' })).status).toBe(400)
  })

  it('the thread without a token, or with a made-up one: 401', async () => {
    for (const token of [undefined, 'x'.repeat(43), 'not-a-token']) {
      const res = await thread(token)
      expect(res.status).toBe(401)
      expect(res.body.error).toMatch(/session has ended/)
    }
  })

  it('an expired challenge: 400 "expired" (server with CHALLENGE_SECONDS=1)', async () => {
    const quick = await startServer({ dataDir: server.dataDir, env: { CHALLENGE_SECONDS: '1' } })
    try {
      const c = await challenge(a.keys.locator, quick.url)
      expect(c.body.expiresInSeconds).toBe(1)
      await new Promise((r) => setTimeout(r, 1_500))
      const late = await login(c.body.challengeId, signChallenge(c.body.challenge, a), quick.url)
      expect(late.status).toBe(400)
      expect(late.body.error).toMatch(/expired/)
      // A fresh challenge still works, and challenges do not travel between servers.
      expect(await signIn(a, quick.url)).toMatch(/^[A-Za-z0-9_-]{43}$/)
      const other = await challenge(a.keys.locator)
      expect((await login(other.body.challengeId, signChallenge(other.body.challenge, a), quick.url)).status).toBe(400)
    } finally {
      await quick.stop()
    }
  })
})

describe('receipt login without JavaScript (/check)', () => {
  const typo = (formatted: string) => {
    const at = 5 // first symbol of the second group
    const swap = formatted[at] === '7' ? '8' : '7'
    return formatted.slice(0, at) + swap + formatted.slice(at + 1)
  }

  it('a receipt with a one-symbol typo: "This code has a typo", before any lookup', async () => {
    const res = await postForm(`${server.url}/check`, { intent: 'open', receipt: typo(formatReceipt(a.receipt)) })
    expect(res.status).toBe(200)
    expect(visibleText(res.html)).toContain('This code has a typo')
  })

  it('too short, or with symbols no receipt uses: a clear message', async () => {
    const short = await postForm(`${server.url}/check`, { intent: 'open', receipt: 'ABCD-EFGH' })
    expect(visibleText(short.html)).toContain(`A receipt code has ${RECEIPT_SYMBOLS + 1} letters and numbers; you entered 8.`)
    const odd = await postForm(`${server.url}/check`, { intent: 'open', receipt: 'ABCD-EFGH-JKMN-PQRS-TVW!-Y' })
    expect(visibleText(odd.html)).toContain('only uses the letters and numbers')
  })

  it('a valid receipt that matches no report: "No report matches"', async () => {
    const res = await postForm(`${server.url}/check`, { intent: 'open', receipt: formatReceipt(newReceipt()) })
    expect(res.status).toBeLessThan(500)
    expect(visibleText(res.html)).toContain('No report matches this receipt code')
  })

  it('…answered 200 like every other form problem on /check (see report: instanceof across bundles)', async () => {
    const res = await postForm(`${server.url}/check`, { intent: 'open', receipt: formatReceipt(newReceipt()) })
    expect(res.status).toBe(200)
  })

  it('a follow-up posted with the receipt is shown on the page and verified by the CLI', async () => {
    const text = 'Bravo follow-up without JavaScript: two more names.'
    const before = await countRows(server.dbFile, 'messages')
    const res = await postForm(`${server.url}/check`, { intent: 'followup', receipt: formatReceipt(b.receipt), message: text })
    expect(res.status).toBe(200)
    const page = visibleText(res.html)
    expect(page).toContain('Your message was sealed and sent.')
    expect(page).toContain(text)
    expect(page).toContain(answersB.whatHappened)
    expect(await countRows(server.dbFile, 'messages')).toBe(before + 1)
    const out = openInboxCli(server.dataDir, inbox.keyFile)
    expect(out).toContain(`--- Reporter · ${todayUtc()} · signature verified\n  │ ${text}`)
    expect(out).not.toContain('NOT VERIFIED')
    // With JS, B's thread now holds it too, verified.
    const view = openThreadAsReporter((await thread(await signIn(b))).body, b.keys)
    expect(view.messages.map((m) => [m.text, m.verified])).toEqual([[text, true]])
  })

  it('an empty or over-long follow-up is refused and nothing is stored', async () => {
    const before = await countRows(server.dbFile, 'messages')
    const res = await postForm(`${server.url}/check`, { intent: 'followup', receipt: formatReceipt(b.receipt), message: '   ' })
    expect(res.status).toBe(200)
    expect(visibleText(res.html)).toContain('Write a message before sending.')
    const long = await postForm(`${server.url}/check`, { intent: 'followup', receipt: formatReceipt(b.receipt), message: 'x'.repeat(10_001) })
    // Over the limit: a clear message on the thread page, so the officer keeps their place.
    expect(long.status).toBe(200)
    expect(visibleText(long.html)).toContain('the limit is 10,000. Nothing was sent.')
    expect(visibleText(long.html)).toContain(answersB.whatHappened)
    expect(await countRows(server.dbFile, 'messages')).toBe(before)
  })

  it('a receipt page and a receipt round trip: the no-JS report opens with the JS login too', async () => {
    const sent = await postForm(`${server.url}/report`, [
      ['intent', 'send'],
      ['inboxId', inbox.id],
      ['categories', 'other'],
      ['whatHappened', 'Charlie report, sealed by the server.'],
    ])
    const receipt = receiptFromPage(sent.html)
    const keys = deriveReporterKeys(receipt.replace(/-/g, ''))
    const view = openThreadAsReporter((await thread(await signIn({ receipt }))).body, keys)
    expect((view.answers as { whatHappened: string }).whatHappened).toBe('Charlie report, sealed by the server.')
  })

  it('no 5xx and no error lines in the server output', () => {
    const out = wrongMethodLog ? server.output().replace(wrongMethodLog, '') : server.output()
    expect(errorLines(out)).toEqual([])
  })
})
