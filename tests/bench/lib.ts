/**
 * Shared pieces of the benchmarks: figures (median), machine facts, valid-shaped sealed report
 * bodies for load, autocannon runs, a child server's resident memory, and whether the build a
 * server serves has settled. Loopback only.
 */
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import autocannon from 'autocannon'
import { INBOX_WRAP_BYTES, NONCE_BYTES, ready, REPORTER_WRAP_BYTES, SELF_NOTE_SEALED_BYTES, TAG_BYTES } from '../../crypto/index'
import { solvePow, type PowChallenge } from '../../crypto/pow'
import { ROOT } from '../support/server'

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = Math.floor(s.length / 2)
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

export const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))] : NaN
}

export const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a')

export function machine(): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU'
  return `${os.cpus().length} cores (${cpu}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB memory, Node ${process.version}, ${os.type()} ${os.release()}`
}

const b64 = (n: number) => randomBytes(n).toString('base64url')

/** The bucket a short report lands in: 4 KiB of padded plaintext. */
export const BUCKET_BYTES = 4096

/**
 * A JSON body shaped like a browser-sealed report (random bytes of the right lengths, so the
 * server's shape checks pass); each call has a fresh locator because locators are UNIQUE.
 * The sealed parts are shared across calls: the server treats them as opaque anyway.
 */
export function sealedReportMaker(inboxId: string, keyVersion = 1): () => Record<string, unknown> {
  const envelope = {
    v: 1,
    body: b64(NONCE_BYTES + BUCKET_BYTES + TAG_BYTES),
    inbox: b64(INBOX_WRAP_BYTES),
    reporter: b64(REPORTER_WRAP_BYTES),
  }
  const rest = { signPk: b64(32), boxPk: b64(32), selfNote: b64(SELF_NOTE_SEALED_BYTES) }
  return () => ({ inboxId, keyVersion, envelope, locator: b64(32), ...rest })
}

/** Such bodies as JSON text without a proof of work: for the bare baseline, or to be refused. */
export function sealedBodyMaker(inboxId: string, keyVersion = 1): () => string {
  const make = sealedReportMaker(inboxId, keyVersion)
  return () => JSON.stringify(make())
}

/**
 * n sealed report bodies, each with its own solved proof of work (decisions 12, 18: a proof is
 * bound to its body), made before a run so the run itself only POSTs. Start the server with
 * POW_BASE_BITS=0 and POW_MAX_BITS=0: solving is then one hash, while the server still checks
 * and spends every proof as in production. An exhausted pool sends a body without a proof,
 * which shows up as non-2xx answers.
 */
export async function provenBodies(url: string, inboxId: string, n: number, concurrency = 32): Promise<() => string> {
  await ready()
  const make = sealedReportMaker(inboxId)
  const out: string[] = []
  const worker = async () => {
    while (out.length < n) {
      const c = (await (await fetch(`${url}/api/pow?purpose=report`)).json()) as PowChallenge
      const body = make()
      out.push(JSON.stringify({ ...body, pow: solvePow(c, body) }))
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  const fallback = sealedBodyMaker(inboxId)
  return () => out.pop() ?? fallback()
}

export type LoadResult = { rps: number; p50: number; p99: number; total: number; bad: number; clientCpu: number; serverCpu: number }

/**
 * POSTs sealed bodies to url for `seconds` with `connections` connections (autocannon, in this
 * process), noting the CPU this process and the server (serverPid) used, in % of one core.
 */
export async function submitLoad(url: string, makeBody: () => string, seconds: number, connections = 32, serverPid?: number): Promise<LoadResult> {
  const cpu = process.cpuUsage()
  const server = cpuSeconds(serverPid)
  const r = await autocannon({
    url: `${url}/api/reports`,
    connections,
    duration: seconds,
    timeout: 10,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        setupRequest: (req: autocannon.Request) => ({ ...req, body: makeBody() }),
      },
    ],
  })
  return {
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    total: r.requests.total,
    bad: r.non2xx + r.errors + r.timeouts,
    // Share of one core the load generator used: near 100 % means it, not the server, is the limit.
    clientCpu: (() => {
      const d = process.cpuUsage(cpu)
      return ((d.user + d.system) / 1e6 / seconds) * 100
    })(),
    serverCpu: ((cpuSeconds(serverPid) - server) / seconds) * 100,
  }
}

/** The pid of the server process started with DATA_DIR=dataDir (by tests/support/server.ts), from /proc. */
export function serverPid(dataDir: string): number | undefined {
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (!fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('server/index.ts')) continue
      if (fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(`DATA_DIR=${dataDir}`)) return Number(pid)
    } catch {
      // The process went away or is not ours to read: keep looking.
    }
  }
}

/** Resident memory (MiB) of a process. */
export function rssMiB(pid: number | undefined): number {
  const kb = pid ? Number(fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)?.[1]) : NaN
  return kb / 1024
}

/** Resident memory (MiB) of the server process started with DATA_DIR=dataDir. */
export const serverRssMiB = (dataDir: string) => rssMiB(serverPid(dataDir))

/** CPU seconds (user + system, all threads) a process has used so far. */
export function cpuSeconds(pid: number | undefined): number {
  if (!pid) return NaN
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
  return (Number(fields[11]) + Number(fields[12])) / 100 // utime, stime in clock ticks (USER_HZ 100)
}

/** What the server's build was when it started: another `remix build` swaps the asset names under it. */
export const buildId = () => {
  try {
    return fs.readFileSync(path.join(ROOT, 'build/version.txt'), 'utf8') + fs.readdirSync(path.join(ROOT, 'public/build')).join()
  } catch {
    return ''
  }
}
/** Waits until two looks 2 s apart see the same complete build. */
export async function settledBuild() {
  let last = ''
  for (let i = 0; i < 60; i++) {
    const id = buildId()
    if (id && id === last && id.includes('manifest-')) return id
    last = id
    await new Promise((r) => setTimeout(r, 2000))
  }
  throw new Error('the build never settled: run `npx remix build` and try again')
}
