import { randomBytes } from 'node:crypto'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { prepareFirstAdmin } from '../../app/review/enrol.client'
import { setupLink } from '../e2e/reviewer-helpers'
import { reporterToken } from '../support/http'
import { sqlAll } from '../support/review-api'
import { sealedSubmission } from '../support/seal'
import { createInbox, startServer, tempDataDir, type RunningServer } from '../support/server'
import { softPasskey } from '../support/soft-passkey'
import { loadInboxKeys } from '../support/http'
import { proofFor } from '../support/pow'
import { rawRequest } from '../support/raw-http'
import { FORM_FIELDS, FORM_ROUTES, GET_ROUTES, INTENTS, JSON_ROUTES } from './routes'
import { powSeries } from './pow-series'

/**
 * Random and half-valid input to every route, as anyone and as a signed-in admin and reporter:
 * never a 5xx, and never a change to anything stored. Every route is also tried in spellings of
 * its address that must not reach it, and proofs of work are replayed and prefetched against a
 * model of the price. FUZZ_RUNS raises the count (`npm run fuzz`).
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
/**
 * `path` written another way: a letter's case flipped, a slash doubled or added at the end, a
 * character %-encoded, a dot segment or a backslash. Never the path itself; the id (from `idAt`)
 * keeps its case, since another case is another id's canonical address.
 */
function misspelling(path: string, idAt: number) {
  const edit = fc.tuple(fc.constantFrom('case', 'trailing', 'double', 'encode', 'dot', 'dotdot', 'backslash', 'semicolon', 'encodedSlash'), fc.nat())
  return fc.array(edit, { minLength: 1, maxLength: 3 }).map((edits) => {
    let p = path
    for (const [kind, n] of edits) {
      const at = 1 + (n % Math.max(1, p.length - 1))
      if (kind === 'case') {
        const letters = [...p].map((c, i) => (/[a-z]/i.test(c) && (idAt < 0 || i < idAt) ? i : -1)).filter((i) => i >= 0)
        const i = letters[n % Math.max(1, letters.length)]
        if (i !== undefined) p = p.slice(0, i) + (p[i] === p[i].toLowerCase() ? p[i].toUpperCase() : p[i].toLowerCase()) + p.slice(i + 1)
      } else if (kind === 'trailing') p += '/'
      else if (kind === 'double') {
        const slashes = [...p].map((c, i) => (c === '/' ? i : -1)).filter((i) => i >= 0)
        const i = slashes[n % slashes.length]
        p = p.slice(0, i) + '/' + p.slice(i)
      } else if (kind === 'encode') p = at < p.length ? p.slice(0, at) + `%${p.charCodeAt(at).toString(16).padStart(2, '0')}` + p.slice(at + 1) : `${p}%2F`
      else if (kind === 'dot') p = `/.${p}`
      else if (kind === 'dotdot') p = `/x/..${p}`
      else if (kind === 'backslash') p += '\\'
      else if (kind === 'semicolon') p += ';'
      else p = p.replace(/\/(?=[^/]*$)/, '%2F').replace(/^%2F/, '/%2F')
    }
    // A case flip of a path with no letters, or a doubling that found no slash: make it differ anyway.
    return p === path ? `${path}/` : p
  })
}

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
  const opts = await post('/api/review/setup/options', { token, displayName: 'Fuzz Admin' })
  const done = await post('/api/review/setup/complete', {
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
  it(
    'JSON routes answer every odd body with a 4xx and store nothing',
    async () => {
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
    },
    TIMEOUT_MS,
  )

  it(
    'no spelling of an address but its own reaches a route: never a 2xx, a 5xx or a stored change',
    async () => {
      const before = await snapshot()
      const bad: string[] = []
      const id = 'AAAAAAAAAAAAAAAAAAAAAA'
      const routes = [
        ...JSON_ROUTES.map((r) => ({ path: r as string, method: 'POST', type: 'application/json' })),
        ...FORM_ROUTES.map((r) => ({ path: r as string, method: 'POST', type: 'application/x-www-form-urlencoded' })),
        ...GET_ROUTES.map((r) => ({ path: r.replace(':id', id), method: 'GET', type: '' })),
      ]
      const idAt = (path: string) => path.indexOf(id)
      await Promise.all(
        routes.map(({ path, method, type }) =>
          fc.assert(
            fc.asyncProperty(misspelling(path, idAt(path)), type === 'application/json' ? jsonBodies() : formBody, fc.boolean(), async (spelt, body, data) => {
              const q = data ? '?_data=root' : ''
              const auth = { cookie: adminCookie, authorization: reporterBearer }
              const res = await rawRequest(server.url, method, spelt + q, method === 'POST' ? { type, text: body } : undefined, auth)
              const ok = res.status === 404 || (method === 'GET' && res.status === 308 && /^\/(?!\/)/.test(res.location ?? ''))
              if (!ok) bad.push(`${method} ${spelt}${q} -> ${res.status} ${res.location ?? ''}`)
              return true
            }),
            { numRuns: Math.max(10, Math.ceil(RUNS / 50)) },
          ),
        ),
      )
      expect(bad).toEqual([])
      expect(await snapshot()).toEqual(before)
    },
    TIMEOUT_MS,
  )

  it(
    'proofs of work: replays, moved bodies, wrong purposes and prefetched challenges do exactly what the price model says',
    async () => {
      await powSeries(Math.max(10, Math.ceil(RUNS / 50)))
    },
    TIMEOUT_MS,
  )

  it(
    'HTML forms answer every odd form without a 5xx and store nothing',
    async () => {
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
    },
    TIMEOUT_MS,
  )
})
