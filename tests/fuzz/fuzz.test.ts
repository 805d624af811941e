import { randomBytes } from 'node:crypto'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { prepareFirstAdmin } from '../../app/lib/enrol.client'
import { setupLink } from '../e2e/reviewer-helpers'
import { reporterToken } from '../support/http'
import { sqlAll } from '../support/review-api'
import { sealedSubmission } from '../support/seal'
import { createInbox, startServer, tempDataDir, type RunningServer } from '../support/server'
import { softPasskey } from '../support/soft-passkey'
import { loadInboxKeys } from '../support/http'
import { proofFor } from '../support/pow'
import { FORM_FIELDS, FORM_ROUTES, INTENTS, JSON_ROUTES } from './routes'

/**
 * Random and half-valid input to every route, as anyone and as a signed-in admin and reporter:
 * never a 5xx, and never a change to anything stored. FUZZ_RUNS raises the count (`npm run fuzz`).
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 1000)
// Tens of thousands of requests: minutes on a busy 2-core machine, more with FUZZ_RUNS.
const TIMEOUT_MS = Math.max(600_000, RUNS * 600)
let server: RunningServer
let adminCookie = ''
let reporterBearer = ''
let validReport: Record<string, unknown> = {}
const fives: string[] = []

async function snapshot(): Promise<Record<string, number>> {
  const tables = await sqlAll<{ name: string }>(server.dbFile, "SELECT name FROM sqlite_master WHERE type = 'table'")
  const counts: Record<string, number> = {}
  for (const { name } of tables) counts[name] = (await sqlAll<{ n: number }>(server.dbFile, `SELECT COUNT(*) AS n FROM "${name}"`))[0].n
  // An empty body is a valid "list my inboxes" for the admin, and listing is audited as a read.
  counts.audit_log -= (await sqlAll<{ n: number }>(server.dbFile, "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'inbox.list'"))[0].n
  const passkeys = await sqlAll<{ c: number }>(server.dbFile, 'SELECT COALESCE(SUM(counter), 0) AS c FROM passkeys')
  return { ...counts, passkeyCounters: passkeys[0].c }
}

async function send(path: string, body: string, headers: Record<string, string>) {
  const res = await fetch(`${server.url}${path}`, { method: 'POST', headers, body, redirect: 'manual' })
  await res.arrayBuffer()
  if (res.status >= 500) fives.push(`${res.status} ${path} ${body.slice(0, 200)}`)
  return res.status
}

/** A body: random JSON, a valid report with one field replaced, raw text, or bytes. */
const jsonBodies = () =>
  fc.oneof(
    fc.jsonValue().map((v) => JSON.stringify(v)),
    fc
      .tuple(fc.constantFrom(...Object.keys(validReport)), fc.jsonValue())
      .filter(([key, v]) => JSON.stringify(v) !== JSON.stringify(validReport[key]))
      .map(([key, v]) => JSON.stringify({ ...validReport, [key]: v })),
    fc.string({ maxLength: 300 }),
    fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('latin1')),
  )
const contentType = fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded')

const formBody = fc
  .array(
    fc.tuple(
      fc.oneof(fc.constantFrom(...FORM_FIELDS), fc.string({ maxLength: 12 })),
      fc.oneof(fc.constantFrom(...INTENTS), fc.string({ maxLength: 80 }), fc.string({ minLength: 21, maxLength: 30 })),
    ),
    { maxLength: 12 },
  )
  .map((pairs) => new URLSearchParams(pairs).toString())

beforeAll(async () => {
  const dataDir = tempDataDir('candour-fuzz-')
  const offline = createInbox(dataDir)
  server = await startServer({ dataDir })
  // An admin, signed in through the real API with a software passkey.
  const token = new URL(await setupLink(server)).hash.slice(1)
  const prepared = await prepareFirstAdmin({ kind: 'prf', prf: randomBytes(32) }, { name: 'Fuzz inbox', description: '' })
  const post = async (path: string, body: unknown, cookie = '') => {
    const res = await fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify(body) })
    return { body: (await res.json()) as any, cookie: (res.headers.get('set-cookie') ?? '').split(';')[0] }
  }
  const opts = await post('/api/review/setup-options', { token, displayName: 'Fuzz Admin' })
  const done = await post('/api/review/setup-complete', {
    ceremonyId: opts.body.ceremonyId,
    registration: softPasskey(server.url).register(opts.body.options),
    reviewer: prepared.reviewer,
    inbox: prepared.inbox,
  })
  adminCookie = done.cookie
  expect(adminCookie).toMatch(/^candour_review=/)
  // A reporter with a filed report and a live session; the valid body is kept to mutate.
  const { receipt, body } = await sealedSubmission(offline.id, await loadInboxKeys(offline.keyFile), { categories: ['other'], whatHappened: 'fuzz' })
  validReport = body as unknown as Record<string, unknown>
  const filed = await fetch(`${server.url}/api/reports`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...body, pow: await proofFor(server.url, 'report', body) }),
  })
  expect(filed.status).toBe(201)
  reporterBearer = `Bearer ${await reporterToken(server.url, receipt)}`
}, 120_000)

afterAll(async () => {
  await server?.stop()
})

describe(`fuzz: ${RUNS} cases per route and identity`, () => {
  it('JSON routes answer every odd body with a 4xx and store nothing', async () => {
    const before = await snapshot()
    const runs = JSON_ROUTES.flatMap((path) => (['anonymous', 'admin', 'reporter'] as const).map((who) => ({ path, who })))
    // Four properties at a time: the server interleaves them as it would real traffic.
    for (let i = 0; i < runs.length; i += 4)
      await Promise.all(
        runs.slice(i, i + 4).map(({ path, who }) => {
          const auth: Record<string, string> = who === 'admin' ? { cookie: adminCookie } : who === 'reporter' ? { authorization: reporterBearer } : {}
          return fc.assert(
            fc.asyncProperty(jsonBodies(), contentType, async (body, type) => (await send(path, body, { 'content-type': type, ...auth })) < 500),
            { numRuns: who === 'anonymous' ? RUNS : Math.ceil(RUNS / 4) },
          )
        }),
      )
    expect(fives).toEqual([])
    expect(await snapshot()).toEqual(before)
  }, TIMEOUT_MS)

  it('HTML forms answer every odd form without a 5xx and store nothing', async () => {
    const before = await snapshot()
    await Promise.all(
      FORM_ROUTES.map((path) =>
        fc.assert(
          fc.asyncProperty(formBody, async (body) => (await send(path, body, { 'content-type': 'application/x-www-form-urlencoded' })) < 500),
          { numRuns: RUNS },
        ),
      ),
    )
    expect(fives).toEqual([])
    expect(await snapshot()).toEqual(before)
    expect(server.output()).not.toMatch(/"level":("error"|50)/)
  }, TIMEOUT_MS)
})
