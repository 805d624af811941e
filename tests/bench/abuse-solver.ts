/**
 * A worker thread for bench:abuse: a client that does what the browser does (fetch a challenge,
 * solve it for its body, send; solve again when told `retry: 'pow'`, at most 4 proofs) in a
 * loop until its time is up. Honest reporters and solving attackers run this same loop: proof of
 * work cannot tell them apart, it can only make each report cost the same.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { ready } from '../../crypto/index'
import { solvePow, type PowChallenge } from '../../crypto/pow'
import { sealedReportMaker } from './lib'

const { url, inboxId, seconds } = workerData as { url: string; inboxId: string; seconds: number }
const TRIES = 4

await ready()
const make = sealedReportMaker(inboxId)
const stats = { ok: 0, failed: 0, proofs: 0, maxDifficulty: 0, cpuSeconds: 0, seconds: [] as number[], failures: [] as string[], locators: [] as string[] }

/**
 * fetch, sent once more on a fresh connection if the first attempt's connection was closed under
 * it, as a browser does when a reused keep-alive connection turns out to be closed (the server
 * closes idle ones after 5 s, and a proof at the top price can take longer than that here).
 */
async function send(input: string, init?: RequestInit): Promise<Response> {
  try {
    return await fetch(input, init)
  } catch {
    return fetch(input, init)
  }
}
const deadline = Date.now() + seconds * 1000
while (Date.now() < deadline) {
  const body = make()
  stats.locators.push(body.locator as string)
  const started = performance.now()
  let done = false
  for (let attempt = 1; attempt <= TRIES && !done; attempt++) {
    try {
      const c = (await (await send(`${url}/api/pow?purpose=report`)).json()) as PowChallenge
      stats.maxDifficulty = Math.max(stats.maxDifficulty, c.difficulty)
      const cpu = process.cpuUsage()
      const pow = solvePow(c, body)
      const d = process.cpuUsage(cpu)
      stats.cpuSeconds += (d.user + d.system) / 1e6
      stats.proofs++
      const res = await send(`${url}/api/reports`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...body, pow }) })
      const answer = (await res.json().catch(() => ({}))) as { retry?: string; error?: string }
      if (res.status === 201) {
        stats.ok++
        stats.seconds.push((performance.now() - started) / 1000)
        done = true
      } else if (answer.retry !== 'pow' || attempt === TRIES) {
        stats.failed++
        if (stats.failures.length < 5) stats.failures.push(`${res.status} ${answer.error ?? ''}`)
        done = true
      }
    } catch (err) {
      // A dropped connection under load: the browser would say so and the person would try again.
      stats.failed++
      if (stats.failures.length < 5) stats.failures.push(`${String(err)} (${String((err as { cause?: unknown }).cause)})`)
      done = true
    }
  }
}
parentPort!.postMessage(stats)
