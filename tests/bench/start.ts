/**
 * Cold start: from spawning the production server (`node --import tsx server/index.ts`, as
 * `npm start` runs it after the build) to the first 200 for GET /, over several fresh starts;
 * then idle RSS after a few page views and a quiet second. Run with `npm run bench:start`
 * after `npm run build`. START_RUNS overrides.
 */
import fs from 'node:fs'
import { createInbox, startServer, tempDataDir } from '../support/server'
import { fmt, median, serverRssMiB } from './lib'

const RUNS = Number(process.env.START_RUNS ?? 5)
const startMs: number[] = []
const rss: number[] = []
const dataDir = tempDataDir('candour-bench-start-')
createInbox(dataDir)

for (let i = 0; i < RUNS; i++) {
  const t = performance.now()
  const server = await startServer({ dataDir })
  try {
    // Bounded: 200 tries, 10 ms apart, at most ~2 s after the listening line.
    for (let tries = 0; ; tries++) {
      const res = await fetch(server.url + '/').catch(() => undefined)
      await res?.arrayBuffer()
      if (res?.status === 200) break
      if (tries >= 200) throw new Error(`no 200 from / after start: ${res?.status}`)
      await new Promise((r) => setTimeout(r, 10))
    }
    startMs.push(performance.now() - t)
    for (const path of ['/', '/report', '/check']) await (await fetch(server.url + path)).arrayBuffer()
    await new Promise((r) => setTimeout(r, 1000))
    rss.push(serverRssMiB(dataDir))
  } finally {
    await server.stop()
  }
}

fs.rmSync(dataDir, { recursive: true, force: true })
console.log(`### Cold start and idle memory: ${RUNS} fresh starts (medians)

| figure | median | runs |
|---|---|---|
| spawn to first 200 for GET / | ${fmt(median(startMs), 0)} ms | ${startMs.map((x) => fmt(x, 0)).join(', ')} |
| idle RSS after /, /report, /check and 1 s quiet | ${fmt(median(rss))} MiB | ${rss.map((x) => fmt(x)).join(', ')} |`)
