/**
 * Receipt login: time per challenge-response login (POST /api/reporter/challenge, sign in this
 * process, POST /api/reporter/login) and per no-JS login (POST /check with the receipt: the
 * server derives the keys and opens the thread). Requests go one at a time over loopback, so
 * the figure is server time plus a loopback round trip; the client's signing is left out.
 * Run with `npm run bench:login` after `npm run build`. LOGIN_ROUNDS overrides.
 */
import fs from 'node:fs'
import { deriveReporterKeys, formatReceipt, fromB64, sign, toB64 } from '../../crypto/index'
import { normaliseReceipt } from '../../crypto/receipt'
import { json, loadInboxKeys, postForm } from '../support/http'
import { sealedSubmission } from '../support/seal'
import { createInbox, startServer, tempDataDir } from '../support/server'
import { fmt, median, quantile } from './lib'

const ROUNDS = Number(process.env.LOGIN_ROUNDS ?? 300)
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
// browser's would; the cap keeps back-to-back logins from raising it.
const server = await startServer({ dataDir, env: { POW_MAX_BITS: '12' } })
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
