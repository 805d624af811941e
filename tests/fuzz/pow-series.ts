import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import fc from 'fast-check'
import { expect } from 'vitest'
import { ready } from '../../crypto/index'
import { checkPowWork, powBodyHash, solvePow, type PowChallenge, type PowProof, type PowPurpose } from '../../crypto/pow'
import { json } from '../support/http'
import { challengeFor } from '../support/pow'
import { startServer, tempDataDir } from '../support/server'

/**
 * Proof-of-work replay and prefetch series (decision 18) against a server of its own, whose
 * only client is this model, so the price it charges is known exactly: random runs of fetching
 * challenges (one at a time or in a prefetch burst) and redeeming any held one, with its own body
 * or another, at the route for its purpose or another's, once or again. Each answer must be the
 * one the model predicts; a challenge's price must be the model's too.
 */
const CONFIG = { base: 4, max: 12, busy: 60, step: 20, k: 2, tolerance: 1 }
const ROUTES = { 'sign-in': '/api/reporter/challenge', upload: '/api/files' } as const
type Route = keyof typeof ROUTES

type Held = { proof: PowProof; body: Record<string, unknown>; spent: boolean }
type Op = { op: 'fetch'; purpose: PowPurpose; n: number } | { op: 'redeem'; pick: number; route: Route; otherBody: boolean }

const bodyFor = (route: Route): Record<string, unknown> => (route === 'upload' ? { paddedSize: 4096 } : { locator: randomBytes(32).toString('base64url') })
const routeOf = (purpose: PowPurpose): Route => (purpose === 'upload' ? 'upload' : 'sign-in')

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    op: fc.constant('fetch' as const),
    purpose: fc.constantFrom<PowPurpose>('report', 'sign-in', 'upload'),
    n: fc.oneof(fc.constant(1), fc.integer({ min: 5, max: 15 })),
  }),
  fc.record({ op: fc.constant('redeem' as const), pick: fc.nat(), route: fc.constantFrom<Route>('sign-in', 'upload'), otherBody: fc.boolean() }),
)

export async function powSeries(runs: number) {
  await ready()
  const server = await startServer({
    dataDir: tempDataDir('candour-fuzz-pow-'),
    env: {
      POW_BASE_BITS: String(CONFIG.base),
      POW_MAX_BITS: String(CONFIG.max),
      POW_BUSY_PER_MINUTE: String(CONFIG.busy),
      POW_STEP_PER_MINUTE: String(CONFIG.step),
      POW_ISSUED_PER_REDEEMED: String(CONFIG.k),
      POW_TOLERANCE_BITS: String(CONFIG.tolerance),
    },
  })
  // Counts since the start: the whole series takes seconds, well inside the server's minute.
  let issued = 0
  let redeemed = 0
  const price = () => {
    const load = Math.max(redeemed, Math.ceil(issued / CONFIG.k))
    return Math.min(CONFIG.max, CONFIG.base + (load < CONFIG.busy ? 0 : 1 + Math.floor((load - CONFIG.busy) / CONFIG.step)))
  }
  const problems: string[] = []
  try {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 12 }), async (ops) => {
        const held: Held[] = []
        for (const o of ops) {
          if (o.op === 'fetch') {
            for (let i = 0; i < o.n; i++) {
              const expected = price()
              const c: PowChallenge = await challengeFor(server.url, o.purpose)
              issued++
              if (c.difficulty !== expected) problems.push(`challenge at ${c.difficulty} bits, model says ${expected}`)
              const body = bodyFor(routeOf(o.purpose))
              held.push({ proof: solvePow(c, body), body, spent: false })
            }
            continue
          }
          if (!held.length) continue
          const h = held[o.pick % held.length]
          const body = o.otherBody ? bodyFor(o.route) : h.body
          // Another body may meet the nonce by chance (one in 2^difficulty): then it is the proof's own.
          const bodyFits = checkPowWork(h.proof, powBodyHash(body))
          const res = await json(`${server.url}${ROUTES[o.route]}`, { body: { ...body, pow: h.proof }, proof: false })
          const want =
            routeOf(h.proof.purpose) !== o.route || h.proof.purpose === 'report'
              ? { status: 400, error: /made for something else/ }
              : h.spent
                ? { status: 400, error: /already used/ }
                : h.proof.difficulty < price() - CONFIG.tolerance
                  ? { status: 409, error: /has to be done again/, retry: 'pow' }
                  : !bodyFits
                    ? { status: 400, error: /did not pass/ }
                    : { status: o.route === 'upload' ? 201 : 404 } // the locator is unknown: the proof passed
          if (want.status === 201 || want.status === 404) {
            h.spent = true
            redeemed++
          }
          const matches =
            res.status === want.status &&
            (!want.error || want.error.test(res.body?.error ?? '')) &&
            res.body?.retry === ('retry' in want ? want.retry : undefined)
          if (!matches)
            problems.push(
              `${JSON.stringify(o)} on ${h.proof.purpose}@${h.proof.difficulty}: got ${res.status} ${JSON.stringify(res.body)}, want ${want.status}`,
            )
        }
        return true
      }),
      { numRuns: runs },
    )
    expect(problems).toEqual([])
    // The series did reach prices above the base, so prefetched challenges went stale in it.
    expect(price()).toBeGreaterThan(CONFIG.base)
  } finally {
    await server.stop()
    fs.rmSync(server.dataDir, { recursive: true, force: true })
  }
}
