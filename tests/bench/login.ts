/**
 * Receipt login: time per challenge-response login (POST /api/reporter/challenge, sign in this
 * process, POST /api/reporter/login) and per no-JS login (POST /check with the receipt: the
 * server derives the keys and opens the thread). Requests go one at a time over loopback, so
 * the figure is server time plus a loopback round trip; the client's signing is left out.
 * Then, in this process once the server has stopped, what protocol v2 adds to a reviewer's
 * unlock: checking an inbox's keys with its key log traced, and an approver's grant.
 * Run with `npm run bench:login` after `npm run build`. LOGIN_ROUNDS, LOGIN_V2_ROUNDS and
 * LOGIN_V2_PER_ROUND override.
 */
import fs from 'node:fs'
import { deriveReporterKeys, formatReceipt, fromB64, sign, toB64 } from '../../crypto/index'
import { normaliseReceipt } from '../../crypto/receipt'
import { json, loadInboxKeys, postForm } from '../support/http'
import { sealedSubmission } from '../support/seal'
import { createInbox, startServer, tempDataDir } from '../support/server'
import { fmt, median, quantile } from './lib'
import { ratioOf, ratioRow, reviewerInbox, sideBySide } from './v2-measure'

const ROUNDS = Number(process.env.LOGIN_ROUNDS ?? 300)
const V2_ROUNDS = Number(process.env.LOGIN_V2_ROUNDS ?? 25)
const V2_PER_ROUND = Number(process.env.LOGIN_V2_PER_ROUND ?? 50)
const REPORTS = 20

async function timed<T>(f: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now()
  const r = await f()
  return [r, performance.now() - t]
}

const dataDir = tempDataDir('candour-bench-login-')
const { id, keyFile } = createInbox(dataDir)
const inboxKeys = await loadInboxKeys(keyFile)
// Challenge times include fetching and solving an idle-level proof of work (decision 12), as a
// browser's would; the cap keeps back-to-back logins from raising it. Every login counts toward
// its receipt's hourly limit, which this many logins per receipt would reach: lifted, as in the soak.
const server = await startServer({ dataDir, env: { POW_MAX_BITS: '12', LOGIN_ATTEMPTS_PER_HOUR: '10000' } })
const times = { challenge: [] as number[], login: [] as number[], js: [] as number[], nojs: [] as number[] }
try {
  const receipts: string[] = []
  for (let i = 0; i < REPORTS; i++) {
    const { receipt, body } = await sealedSubmission(id, inboxKeys, { categories: ['racism'], whatHappened: `bench ${i}` })
    const r = await json(`${server.url}/api/reports`, { body })
    if (r.status !== 201) throw new Error(`submit: ${r.status} ${JSON.stringify(r.body)}`)
    receipts.push(receipt)
  }
  // Warm-up rounds are run but not counted.
  for (let i = -20; i < ROUNDS; i++) {
    const receipt = receipts[(i + 20) % REPORTS]
    const keys = deriveReporterKeys(normaliseReceipt(receipt))
    const [c, tc] = await timed(() => json(`${server.url}/api/reporter/challenge`, { body: { locator: keys.locator } }))
    if (c.status !== 200) throw new Error(`challenge: ${c.status}`)
    const signature = toB64(sign('login', fromB64(c.body.challenge), keys.sign.privateKey))
    const [l, tl] = await timed(() => json(`${server.url}/api/reporter/login`, { body: { challengeId: c.body.challengeId, signature } }))
    if (l.status !== 200) throw new Error(`login: ${l.status}`)
    const [n, tn] = await timed(() => postForm(`${server.url}/check`, { intent: 'open', receipt: formatReceipt(normaliseReceipt(receipt)) }))
    if (n.status !== 200) throw new Error(`no-JS login: ${n.status}`)
    if (i < 0) continue
    times.challenge.push(tc)
    times.login.push(tl)
    times.js.push(tc + tl)
    times.nojs.push(tn)
  }
} finally {
  await server.stop()
  fs.rmSync(dataDir, { recursive: true, force: true })
}

const row = (name: string, xs: number[]) => `| ${name} | ${fmt(median(xs), 2)} | ${fmt(quantile(xs, 0.99), 2)} |`
console.log(`### Receipt login: ${ROUNDS} sequential logins over ${REPORTS} reports

| step | median ms | p99 ms |
|---|---|---|
${row('challenge (POST /api/reporter/challenge)', times.challenge)}
${row('login (POST /api/reporter/login, signature check)', times.login)}
${row('**challenge-response login, both requests**', times.js)}
${row('**no-JS login (POST /check: derive keys, open thread, render page)**', times.nojs)}`)

// A reviewer's unlock checks every inbox it belongs to, so these costs are per inbox. v1 is the
// check as it was before the key log; v2 adds tracing the log and, on first sight, the grant.
const one = reviewerInbox(1)
const three = reviewerInbox(3)
const u = sideBySide(
  {
    v1One: one.v1Known,
    v2One: one.v2Known,
    v1Three: three.v1Known,
    v2Three: three.v2Known,
    v1First: one.v1FirstSight,
    v2First: one.v2FirstSight,
    grant: one.grant,
  },
  V2_ROUNDS,
  V2_PER_ROUND,
)
const INBOXES = 5
const unlockMs = (us: number[]) => `${fmt((median(us) * INBOXES) / 1000, 2)} ms`
console.log(`
### Reviewer unlock, protocol v2 next to v1 (bench:login): in this process, ${V2_ROUNDS} rounds of ${V2_PER_ROUND}, both sides alternating, medians (v2 / v1: median of the rounds’ own ratios)

| per inbox, on the reviewer's unlock | v1 | v2 | v2 / v1 |
|---|---|---|---|
${ratioRow('known inbox, 1 key version: `checkInboxKeys` (v2 also traces its key log of 1 entry)', u.v1One, u.v2One)}
${ratioRow(`known inbox, 3 key versions: the same (key log of ${three.logEntries} entries)`, u.v1Three, u.v2Three)}
${ratioRow('first sight of an inbox, 1 key version: no pin yet (v2 also checks the approver’s grant)', u.v1First, u.v2First)}
${ratioRow('of which `checkGrant`', null, u.grant)}

An unlock with ${INBOXES} known inboxes of 3 key versions each: v1 ${unlockMs(u.v1Three)}, v2 ${unlockMs(u.v2Three)} of checking (${fmt(ratioOf(u.v1Three, u.v2Three), 2)}×).`)
