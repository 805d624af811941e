/**
 * Submit throughput: sealed 4 KiB reports POSTed by autocannon (32 connections, fixed duration)
 * to the production build and to the bare node:http baseline (bare-server.ts), alternating sides
 * run by run so both see the same machine state. Prints medians and the ratio.
 * Run with `npm run bench:submit` after `npm run build`. SUBMIT_RUNS / SUBMIT_SECONDS override.
 */
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import { createInbox, ROOT, startServer, tempDataDir } from '../support/server'
import { fmt, median, provenBodies, rssMiB, sealedBodyMaker, serverPid, submitLoad, type LoadResult } from './lib'

const RUNS = Number(process.env.SUBMIT_RUNS ?? 3)
const SECONDS = Number(process.env.SUBMIT_SECONDS ?? 10)
const CONNECTIONS = 32
/** Proofs of work fetched per second of app run: above any rate this machine reaches. */
const PROOFS_PER_SECOND = Number(process.env.SUBMIT_PROOFS_PER_SECOND ?? 3000)

async function startBare(dataDir: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'tests/bench/bare-server.ts', dataDir], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const info = await new Promise<{ url: string; inboxId: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('bare server did not start')), 30_000)
    let out = ''
    child.stdout!.on('data', (d) => {
      out += d
      const line = out.split('\n').find((l) => l.startsWith('{'))
      if (line) {
        clearTimeout(timer)
        resolve(JSON.parse(line))
      }
    })
    child.on('exit', (code) => reject(new Error(`bare server exited with ${code}`)))
  })
  const stop = () => new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : (child.once('exit', () => resolve()), child.kill('SIGTERM'))))
  return { ...info, pid: child.pid, stop }
}

const appDir = tempDataDir('candour-bench-submit-')
const bareDir = tempDataDir('candour-bench-bare-')
const { id: inboxId } = createInbox(appDir)
// Difficulty 0: the bench measures the submit path (proof checked and spent), not the client's hashing.
const app = await startServer({ dataDir: appDir, env: { POW_BASE_BITS: '0', POW_MAX_BITS: '0' } })
const bare = await startBare(bareDir)
const appPid = serverPid(appDir)
const appBody = (seconds: number) => provenBodies(app.url, inboxId, seconds * PROOFS_PER_SECOND)
const bareBody = sealedBodyMaker(bare.inboxId)
const sides: Record<'app' | 'bare', LoadResult[]> = { app: [], bare: [] }
let rss = NaN
try {
  // Warm-up: JIT, SQLite page cache, connection pools. Not counted.
  await submitLoad(app.url, await appBody(3), 3, CONNECTIONS)
  await submitLoad(bare.url, bareBody, 3, CONNECTIONS)
  for (let i = 0; i < RUNS; i++) {
    sides.app.push(await submitLoad(app.url, await appBody(SECONDS), SECONDS, CONNECTIONS, appPid))
    sides.bare.push(await submitLoad(bare.url, bareBody, SECONDS, CONNECTIONS, bare.pid))
    console.error(`run ${i + 1}/${RUNS}: app ${JSON.stringify(sides.app[i])}, bare ${JSON.stringify(sides.bare[i])}`)
  }
  rss = rssMiB(appPid)
} finally {
  await app.stop()
  await bare.stop()
  // Hundreds of MB of benchmark rows: not worth keeping.
  for (const dir of [appDir, bareDir]) fs.rmSync(dir, { recursive: true, force: true })
}

const m = (side: 'app' | 'bare', k: keyof LoadResult) => median(sides[side].map((r) => r[k]))
const ratio = median(sides.app.map((r, i) => r.rps / sides.bare[i].rps))
const bad = [...sides.app, ...sides.bare].reduce((n, r) => n + r.bad, 0)
console.log(`### Submit: sealed 4 KiB reports, ${CONNECTIONS} connections, ${RUNS} runs × ${SECONDS} s per side (medians)

| server | req/s | p50 ms | p99 ms | requests per run | server CPU | load generator CPU |
|---|---|---|---|---|---|---|
| Candour production build (Express + Remix) | ${fmt(m('app', 'rps'))} | ${fmt(m('app', 'p50'))} | ${fmt(m('app', 'p99'))} | ${m('app', 'total')} | ${fmt(m('app', 'serverCpu'), 0)} % | ${fmt(m('app', 'clientCpu'), 0)} % |
| bare node:http + zod + same SQLite insert | ${fmt(m('bare', 'rps'))} | ${fmt(m('bare', 'p50'))} | ${fmt(m('bare', 'p99'))} | ${m('bare', 'total')} | ${fmt(m('bare', 'serverCpu'), 0)} % | ${fmt(m('bare', 'clientCpu'), 0)} % |

Ratio Candour / bare (median of per-run ratios): **${fmt(ratio, 2)}×** (goal ≥ 0.5×); Candour p99 ${fmt(m('app', 'p99'))} ms (goal ≤ 50 ms).
CPU is in % of one core (all threads of the process; the machine has ${os.cpus().length}).
Non-2xx answers, errors and timeouts across all runs: ${bad}. Server RSS after the runs: ${fmt(rss)} MiB.
Per-run req/s, Candour: ${sides.app.map((r) => fmt(r.rps)).join(', ')}; bare: ${sides.bare.map((r) => fmt(r.rps)).join(', ')}.`)
