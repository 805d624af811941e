/**
 * Soak: a bounded mixed load on loopback for a set number of minutes (SOAK_MINUTES or the first
 * argument, default 10), paced at SOAK_RATE operations per second (default 100) over 8 workers:
 * 40 % submits (really sealed in this process, so the inbox can be opened), 20 % challenge-response
 * logins, 20 % follow-ups, 20 % thread reads (GET /api/reporter/thread: there is no reviewer UI
 * yet, so this stands in for inbox reads), plus `npm run admin -- inbox:open` against the live
 * data directory every 30 s. Reports errors, per-minute latency (drift) and server RSS (growth).
 * Run with `npm run soak` (builds first).
 */
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import { deriveReporterKeys, sealFollowup, toB64 } from '../../crypto/index'
import { normaliseReceipt } from '../../crypto/receipt'
import { json, loadInboxKeys, reporterToken } from '../support/http'
import { sealedSubmission } from '../support/seal'
import { createInbox, ROOT, startServer, tempDataDir } from '../support/server'
import { fmt, median, quantile, serverRssMiB } from './lib'

const MINUTES = Number(process.argv[2] ?? process.env.SOAK_MINUTES ?? 10)
const RATE = Number(process.env.SOAK_RATE ?? 100)
const WORKERS = 8
const OPEN_EVERY_MS = 30_000

const dataDir = tempDataDir('candour-soak-')
const { id: inboxId, keyFile } = createInbox(dataDir)
const inboxKeys = await loadInboxKeys(keyFile)
const inboxBoxPk = toB64(inboxKeys.encryption.publicKey)
// Idle-level proof of work throughout (decision 12): the soak is about the server's memory and
// latency over time, and its steady load would otherwise push difficulty to the cap.
// The soak measures the server, not its budgets: one receipt signs in and posts many times here.
const server = await startServer({
  dataDir,
  env: { POW_MAX_BITS: '12', LOGIN_ATTEMPTS_PER_HOUR: '10000', FOLLOWUPS_PER_SESSION: '10000', FOLLOWUPS_PER_REPORT_DAY: '10000' },
})
const url = server.url

type Minute = { lat: number[]; errors: number; rss: number }
const minutes: Minute[] = Array.from({ length: Math.ceil(MINUTES) }, () => ({ lat: [], errors: 0, rss: NaN }))
const perOp = new Map<string, { lat: number[]; errors: number }>()
const errorKinds = new Map<string, number>()
const receipts: string[] = [] // newest last, at most 200 kept
const sessions: Array<{ token: string; receipt: string }> = [] // newest last, at most 50 kept
const start = performance.now()
const end = start + MINUTES * 60_000
const minuteOf = (t: number) => Math.min(minutes.length - 1, Math.floor((t - start) / 60_000))

function record(op: string, ms: number, error?: string) {
  const m = minutes[minuteOf(performance.now())]
  const o = perOp.get(op) ?? { lat: [], errors: 0 }
  perOp.set(op, o)
  o.lat.push(ms)
  m.lat.push(ms)
  if (error) {
    m.errors++
    o.errors++
    errorKinds.set(`${op}: ${error}`, (errorKinds.get(`${op}: ${error}`) ?? 0) + 1)
  }
}

const pick = <T>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)]

// Each operation prepares what a browser would (sealing, signing) untimed, then returns the
// milliseconds its requests took.
async function timed(f: () => Promise<void>): Promise<number> {
  const t = performance.now()
  await f()
  return performance.now() - t
}

async function submit() {
  const { receipt, body } = await sealedSubmission(inboxId, inboxKeys, { categories: ['bullying'], whatHappened: 'soak '.repeat(50) })
  const ms = await timed(async () => {
    const r = await json(`${url}/api/reports`, { body })
    if (r.status !== 201) throw new Error(`status ${r.status}`)
  })
  receipts.push(receipt)
  if (receipts.length > 200) receipts.shift()
  return ms
}

async function login() {
  const receipt = pick(receipts)
  let token = ''
  // Includes the client's one signature between the two requests (well under a millisecond).
  const ms = await timed(async () => void (token = await reporterToken(url, receipt)))
  sessions.push({ token, receipt })
  if (sessions.length > 50) sessions.shift()
  return ms
}

async function followup() {
  const s = pick(sessions)
  const envelope = sealFollowup('soak follow-up', deriveReporterKeys(normaliseReceipt(s.receipt)), inboxBoxPk, [], null)
  return timed(async () => {
    const r = await json(`${url}/api/reporter/messages`, { body: { keyVersion: 1, envelope }, token: s.token })
    if (r.status !== 201) throw new Error(`status ${r.status}`)
  })
}

async function threadRead() {
  return timed(async () => {
    const r = await json(`${url}/api/reporter/thread`, { token: pick(sessions).token })
    if (r.status !== 200) throw new Error(`status ${r.status}`)
  })
}

async function op(name: string, f: () => Promise<number>) {
  const t = performance.now()
  try {
    record(name, await f())
  } catch (err) {
    record(name, performance.now() - t, (err as Error).message.slice(0, 80))
  }
}

async function worker(w: number) {
  // Paced: operation i of this worker is due at start + i × interval; never more than due.
  const interval = (1000 * WORKERS) / RATE
  for (let i = 0; performance.now() < end; i++) {
    const due = start + w * (interval / WORKERS) + i * interval
    const wait = due - performance.now()
    if (wait > 0) await new Promise((r) => setTimeout(r, Math.min(wait, end - performance.now())))
    if (performance.now() >= end) break
    const roll = Math.random()
    if (roll < 0.4 || receipts.length === 0) await op('submit', submit)
    else if (roll < 0.6 || sessions.length === 0) await op('login', login)
    else if (roll < 0.8) await op('follow-up', followup)
    else await op('thread read', threadRead)
  }
}

function inboxOpen(): Promise<void> {
  return new Promise((resolve) => {
    const t = performance.now()
    // Timed as a whole, process start included: this is what an operator waits for.
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/cli/admin.ts', 'inbox:open', '--key', keyFile], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: dataDir },
      stdio: 'ignore',
    })
    const timer = setTimeout(() => child.kill('SIGTERM'), 60_000)
    child.on('exit', (code) => {
      clearTimeout(timer)
      record('inbox:open (CLI)', performance.now() - t, code === 0 ? undefined : `exit ${code}`)
      resolve()
    })
  })
}

const sampler = setInterval(() => (minutes[minuteOf(performance.now() - 1000)].rss = serverRssMiB(dataDir)), 5_000)
const opener = (async () => {
  while (performance.now() + OPEN_EVERY_MS < end) {
    await new Promise((r) => setTimeout(r, OPEN_EVERY_MS))
    await inboxOpen()
  }
})()
try {
  await Promise.all([...Array.from({ length: WORKERS }, (_, w) => worker(w)), opener])
} finally {
  clearInterval(sampler)
  await server.stop()
  fs.rmSync(dataDir, { recursive: true, force: true })
}

const first = minutes[0]
const last = minutes[minutes.length - 1]
const total = minutes.reduce((n, m) => n + m.lat.length, 0)
const errors = minutes.reduce((n, m) => n + m.errors, 0)
console.log(`### Soak: ${MINUTES} min, ${RATE} operations/s target, ${WORKERS} workers, loopback

${total} operations, **${errors} errors**${errorKinds.size ? ` (${[...errorKinds].map(([k, v]) => `${k} ×${v}`).join('; ')})` : ''}.
Latency drift, p99 last minute / first minute: **${fmt(quantile(last.lat, 0.99) / quantile(first.lat, 0.99), 2)}×**;
RSS growth, first minute to last: **${fmt(last.rss - first.rss)} MiB** (${fmt(first.rss)} → ${fmt(last.rss)} MiB).

| minute | operations | errors | p50 ms | p99 ms | server RSS MiB |
|---|---|---|---|---|---|
${minutes.map((m, i) => `| ${i + 1} | ${m.lat.length} | ${m.errors} | ${fmt(median(m.lat))} | ${fmt(quantile(m.lat, 0.99))} | ${fmt(m.rss)} |`).join('\n')}

| operation | count | errors | p50 ms | p99 ms |
|---|---|---|---|---|
${[...perOp].map(([k, o]) => `| ${k} | ${o.lat.length} | ${o.errors} | ${fmt(median(o.lat))} | ${fmt(quantile(o.lat, 0.99))} |`).join('\n')}

Times are of the requests only: sealing and signing, done in this process as a browser would,
are left out. The load generator shares the machine's cores with the server. There is no
reviewer UI yet: reads are the reporter's thread (GET /api/reporter/thread) and the operator's
offline \`inbox:open\` run against the live data directory (it decrypts every report, so it
grows with the number stored, and its start-up competes with the server for CPU).`)
