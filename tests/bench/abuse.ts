/**
 * Abuse resistance (decisions 12 and 18), measured in one run against the production build with
 * production settings: what a flooder that does not solve proofs gets stored, what the shared
 * no-JS budget lets through, what storing 1,000 reports costs a solving attacker at the idle and
 * the raised price, and how many honest JS submissions succeed while junk posts, solving
 * attackers and a /api/pow flood run at once. Run with `npm run bench:abuse` after `npm run build`.
 * ABUSE_QUIET_SECONDS (15) / ABUSE_FLOOD_SECONDS (60) / ABUSE_SOLVERS (2 honest, 2 attacking) override.
 */
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import { Worker } from 'node:worker_threads'
import autocannon from 'autocannon'
import { ready } from '../../crypto/index'
import { newPowChallenge, POW_KEY_BYTES, solvePow, type PowChallenge } from '../../crypto/pow'
import { sodium } from '../../crypto/sodium'
import { countRows } from '../support/http'
import { sqlAll } from '../support/review-api'
import { createInbox, startServer, tempDataDir } from '../support/server'
import { fmt, machine, median, quantile, sealedReportMaker } from './lib'

const QUIET = Number(process.env.ABUSE_QUIET_SECONDS ?? 15)
const FLOOD = Number(process.env.ABUSE_FLOOD_SECONDS ?? 60)
const SOLVERS = Number(process.env.ABUSE_SOLVERS ?? 2)
const BASE_BITS = 12 // the production defaults (server/abuse-config.server.ts), which this server runs with
const MAX_BITS = 20

type SolverStats = {
  ok: number
  failed: number
  proofs: number
  maxDifficulty: number
  cpuSeconds: number
  seconds: number[]
  failures: string[]
  locators: string[]
}

await ready()
const dataDir = tempDataDir('candour-bench-abuse-')
const { id: inboxId } = createInbox(dataDir)
// startServer lifts the no-JS budget for tests: put the production one back.
const server = await startServer({ dataDir, env: { NOJS_POSTS_PER_MINUTE: '60', NOJS_POSTS_BURST: '20' } })
const { url } = server
const make = sealedReportMaker(inboxId)
/** Locators of the JS junk bodies, so stored rows can be told apart by who sent them. */
const junkLocators = new Set<string>()

/** JS junk that does not solve: no proof, a forged one, or a real one replayed or moved to another body. */
async function junkBodies(): Promise<() => string> {
  const c = (await (await fetch(`${url}/api/pow?purpose=report`)).json()) as PowChallenge
  const first = make()
  const real = solvePow(c, first)
  const spent = await fetch(`${url}/api/reports`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...first, pow: real }),
  })
  if (spent.status !== 201) throw new Error(`the proof to replay did not pass: ${spent.status}`)
  const forged = { ...real, mac: randomBytes(32).toString('base64url'), difficulty: 0 }
  let i = 0
  return () => {
    const kind = i++ % 4
    const body = kind === 2 ? first : make()
    junkLocators.add(body.locator as string)
    if (kind === 0) return JSON.stringify(body)
    if (kind === 1) return JSON.stringify({ ...body, pow: forged })
    return JSON.stringify({ ...body, pow: real })
  }
}

function cannon(opts: { path: string; method: 'GET' | 'POST'; seconds: number; connections: number; type?: string; body?: () => string }) {
  return autocannon({
    url: `${url}${opts.path}`,
    connections: opts.connections,
    duration: opts.seconds,
    timeout: 20,
    requests: [
      {
        method: opts.method,
        headers: opts.type ? { 'content-type': opts.type } : {},
        ...(opts.body ? { setupRequest: (req: autocannon.Request) => ({ ...req, body: opts.body!() }) } : {}),
      },
    ],
  })
}

/** A worker does not inherit tsx's loader: it registers it, then loads the TypeScript solver. */
const SOLVER_BOOT = new URL(
  `data:text/javascript,${encodeURIComponent(
    `import { register } from ${JSON.stringify(import.meta.resolve('tsx/esm/api'))}; register(); await import(${JSON.stringify(new URL('./abuse-solver.ts', import.meta.url).href)})`,
  )}`,
)

const solver = (seconds: number) =>
  new Promise<SolverStats>((resolve, reject) => {
    const w = new Worker(SOLVER_BOOT, { workerData: { url, inboxId, seconds } })
    w.once('message', (m: SolverStats) => resolve(m))
    w.once('error', reject)
  })

/** CPU-seconds this process spends solving one proof at `bits`, from `n` proofs. */
function solveCost(bits: number, n: number): number {
  const key = sodium().randombytes_buf(POW_KEY_BYTES)
  const cpu = process.cpuUsage()
  for (let i = 0; i < n; i++) solvePow(newPowChallenge(key, { purpose: 'report', window: 1, seq: i, difficulty: bits, expires: 1 }), make())
  const d = process.cpuUsage(cpu)
  return (d.user + d.system) / 1e6 / n
}

const noJsForm = `intent=send&inboxId=${inboxId}&categories=racism&whatHappened=${encodeURIComponent('Junk from a script')}`
let quiet: { stored: number; sent: number }
let flood: {
  stored: number
  noJs: { sent: number; stored: number }
  jsJunk: { sent: number; stored: number }
  powFetched: number
  honest: SolverStats
  attackers: SolverStats
}
try {
  // 1. Quiet site, a flooder that never solves: every body refused before anything is stored.
  const junk = await junkBodies()
  const before = await countRows(server.dbFile)
  const q = await cannon({ path: '/api/reports', method: 'POST', seconds: QUIET, connections: 16, type: 'application/json', body: junk })
  quiet = { stored: (await countRows(server.dbFile)) - before, sent: q.requests.total }
  console.error(`quiet: ${JSON.stringify(quiet)}, answers ${JSON.stringify(q.statusCodeStats)}`)

  // 2. Everything at once: no-JS junk, JS junk, a /api/pow flood, solving attackers and honest reporters.
  const locators = async () => (await sqlAll<{ locator: string }>(server.dbFile, 'SELECT locator FROM reports')).map((r) => r.locator)
  const earlier = new Set(await locators())
  const merge = (xs: SolverStats[]): SolverStats => ({
    ok: xs.reduce((n, x) => n + x.ok, 0),
    failed: xs.reduce((n, x) => n + x.failed, 0),
    proofs: xs.reduce((n, x) => n + x.proofs, 0),
    maxDifficulty: Math.max(...xs.map((x) => x.maxDifficulty)),
    cpuSeconds: xs.reduce((n, x) => n + x.cpuSeconds, 0),
    seconds: xs.flatMap((x) => x.seconds),
    locators: xs.flatMap((x) => x.locators),
    failures: xs.flatMap((x) => x.failures),
  })
  const [noJs, jsJunk, pow, honest, attackers] = await Promise.all([
    cannon({ path: '/report', method: 'POST', seconds: FLOOD, connections: 4, type: 'application/x-www-form-urlencoded', body: () => noJsForm }),
    cannon({ path: '/api/reports', method: 'POST', seconds: FLOOD, connections: 4, type: 'application/json', body: junk }),
    cannon({ path: '/api/pow?purpose=report', method: 'GET', seconds: FLOOD, connections: 8 }),
    Promise.all(Array.from({ length: SOLVERS }, () => solver(FLOOD))).then(merge),
    Promise.all(Array.from({ length: SOLVERS }, () => solver(FLOOD))).then(merge),
  ])
  // Who sent each stored row, by its locator (the server sealed the no-JS ones with its own).
  const rows = (await locators()).filter((l) => !earlier.has(l))
  const from = (set: Set<string>) => rows.filter((l) => set.has(l)).length
  const jsJunkStored = from(junkLocators)
  const honestStored = from(new Set(honest.locators))
  const attackerStored = from(new Set(attackers.locators))
  flood = {
    stored: rows.length,
    noJs: { sent: noJs.requests.total, stored: rows.length - jsJunkStored - honestStored - attackerStored },
    jsJunk: { sent: jsJunk.requests.total, stored: jsJunkStored },
    powFetched: pow['2xx'],
    honest,
    attackers: { ...attackers, ok: attackerStored },
  }
  console.error(
    `flood: ${JSON.stringify(flood, (k, v) => (k === 'locators' || k === 'seconds' ? undefined : v))}; no-JS answers ${JSON.stringify(noJs.statusCodeStats)}; pow answers ${JSON.stringify(pow.statusCodeStats)}`,
  )
} finally {
  await server.stop()
  fs.rmSync(dataDir, { recursive: true, force: true })
}

// 3. The attacker's side, measured here with the server stopped: CPU per proof at each price.
const reached = Math.max(flood.honest.maxDifficulty, flood.attackers.maxDifficulty)
const prices = [...new Set([BASE_BITS, reached, MAX_BITS])].sort((a, b) => a - b)
const cost = new Map(prices.map((bits) => [bits, solveCost(bits, bits <= 14 ? 200 : bits <= 17 ? 20 : 4)]))
const perMinute = (n: number, seconds: number) => (n / seconds) * 60
const share = flood.honest.ok / Math.max(1, flood.honest.ok + flood.honest.failed)

console.log(`### Abuse resistance (bench:abuse): production settings, one run, ${QUIET} s quiet + ${FLOOD} s flood

| measure | figure | goal |
|---|---|---|
| JS junk stored per minute, client that does not solve (quiet site: ${quiet.sent} requests in ${QUIET} s) | ${fmt(perMinute(quiet.stored, QUIET), 0)} | 0 |
| JS junk stored per minute during the flood (${flood.jsJunk.sent} requests in ${FLOOD} s) | ${fmt(perMinute(flood.jsJunk.stored, FLOOD), 0)} | 0 |
| no-JS junk stored per minute during the flood (${flood.noJs.sent} posts in ${FLOOD} s; shared budget 60/min, burst 20) | ${fmt(perMinute(flood.noJs.stored, FLOOD), 0)} | ≤ ${fmt(perMinute(20 + FLOOD, FLOOD), 0)} (the budget over ${FLOOD} s) |
| /api/pow challenges handed out during the flood (none refused) | ${flood.powFetched} | |
| difficulty the server reached under the flood | ${reached} bits | |
${prices.map((bits) => `| attacker CPU-seconds to store 1,000 reports at ${bits} bits${bits === BASE_BITS ? ' (idle price)' : bits === reached ? ' (reached)' : ' (cap)'} | ${fmt(cost.get(bits)! * 1000, 1)} | |`).join('\n')}
| honest JS submissions that succeeded during the flood | ${flood.honest.ok} of ${flood.honest.ok + flood.honest.failed} (${fmt(share * 100, 1)} %) | ≥ 99 % |
| honest submission time during the flood, fetch + solve + send (median / p90) | ${fmt(median(flood.honest.seconds), 2)} s / ${fmt(quantile(flood.honest.seconds, 0.9), 2)} s | |
| proofs solved per honest submission (retries included) | ${fmt(flood.honest.proofs / Math.max(1, flood.honest.ok + flood.honest.failed), 2)} | |
| solving attackers' reports stored during the flood (${SOLVERS} threads, ${fmt(flood.attackers.cpuSeconds, 0)} CPU-s of solving) | ${flood.attackers.ok} | |

Stored rows are told apart by locator. Honest and attacking solvers run the same loop as the
browser (solve again on \`retry: 'pow'\`, up to 4 proofs) in worker threads, and, like a browser,
send a request once more if its reused keep-alive connection was closed under it. Solving costs
are CPU time of one Node thread running crypto/pow.ts (the browser's code) on this
machine: ${fmt(cost.get(BASE_BITS)! * 1000, 2)} ms a proof at ${BASE_BITS} bits, ${fmt(cost.get(MAX_BITS)!, 2)} s at ${MAX_BITS}. During the flood the load
generators, ${SOLVERS * 2} solver threads and the server shared the machine's cores.
${flood.honest.failures.length ? `Honest failures seen: ${flood.honest.failures.join('; ')}.` : 'No honest submission failed.'}
Machine: ${machine()}.`)
