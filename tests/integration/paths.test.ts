import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { countRows, visibleText } from '../support/http'
import { rawRequest } from '../support/raw-http'
import { createInbox, ROOT, startServer, tempDataDir, type RunningServer } from '../support/server'

/**
 * One spelling per address (decision 18). Remix matched routes ignoring case and trailing
 * slashes, and its request URL decodes %xx and dot segments, so the no-JS budget, then keyed on
 * exact paths, let `/Report` and friends through unlimited. Now only the canonical form reaches
 * an action, and the budget is spent inside the actions, so `?_data=` is counted too.
 */
const BURST = 5
let server: RunningServer
let inboxId: string

const raw = (method: string, path: string, form?: string) =>
  rawRequest(server.url, method, path, form === undefined ? undefined : { type: 'application/x-www-form-urlencoded', text: form })

const ACTIONS: Record<string, string> = {
  '/report': 'routes/_reporter.report',
  '/check': 'routes/_reporter.check',
  '/check/download': 'routes/check.download',
}

const hex = (c: string) => `%${c.charCodeAt(0).toString(16)}`
/** Every way we know to write `path` that is not `path` itself. */
function spellings(path: string): string[] {
  const segs = path.split('/').slice(1)
  const last = segs.length - 1
  const withSeg = (i: number, s: string) => '/' + segs.map((x, j) => (j === i ? s : x)).join('/')
  return [
    // case
    path.toUpperCase(),
    withSeg(0, segs[0][0].toUpperCase() + segs[0].slice(1)),
    withSeg(last, segs[last].slice(0, -1) + segs[last].slice(-1).toUpperCase()),
    // trailing and doubled slashes
    `${path}/`,
    `${path}//`,
    `/${path}`,
    path.replaceAll('/', '//'),
    `${path}/?`,
    // %-encoding, lower- and upper-case hex, of a letter and of a slash
    withSeg(0, hex(segs[0][0]) + segs[0].slice(1)),
    withSeg(last, segs[last].slice(0, -1) + hex(segs[last].slice(-1)).toUpperCase()),
    last === 0 ? `/%2F${segs[0]}` : path.replace(/\/([^/]*)$/, '%2F$1'),
    last === 0 ? `/%2f${segs[0]}` : path.replace(/\/([^/]*)$/, '%2f$1'),
    `${path}%2F`,
    `${path}%20`,
    `${path}%00`,
    // dot segments, backslashes and other separators
    `/.${path}`,
    `/x/..${path}`,
    `${path}/.`,
    `${path}/x/..`,
    `${path}\\`,
    `${path};`,
    `${path};x=1`,
  ]
}
const queries = (path: string) => ['', '?index', `?_data=${ACTIONS[path]}`, `?_data=${encodeURIComponent(ACTIONS[path])}`]

const junkReport = () => `intent=send&inboxId=${inboxId}&categories=racism&whatHappened=${encodeURIComponent('Junk from a script')}`
const formFor = (path: string) => (path === '/report' ? junkReport() : 'intent=open&receipt=nonsense&file=x')

beforeAll(async () => {
  const dataDir = tempDataDir()
  inboxId = createInbox(dataDir).id
  server = await startServer({ dataDir, env: { NOJS_POSTS_PER_MINUTE: '1', NOJS_POSTS_BURST: String(BURST) } })
})

afterAll(async () => {
  await server?.stop()
  if (server) fs.rmSync(server.dataDir, { recursive: true, force: true })
})

describe('only the canonical spelling reaches an action', () => {
  it('a POST to any other spelling of /report, /check or /check/download is a 404 and stores nothing', async () => {
    const before = await countRows(server.dbFile)
    const seen: string[] = []
    for (const path of Object.keys(ACTIONS))
      for (const spelling of spellings(path))
        for (const q of queries(path)) {
          const res = await raw('POST', spelling + q, formFor(path))
          if (res.status !== 404) seen.push(`POST ${spelling}${q} -> ${res.status}`)
        }
    expect(seen).toEqual([])
    expect(await countRows(server.dbFile)).toBe(before)
  })

  it('a GET or HEAD with a trailing or doubled slash is redirected to the clean form; other spellings are 404', async () => {
    const seen: string[] = []
    for (const path of Object.keys(ACTIONS))
      for (const spelling of spellings(path))
        for (const method of ['GET', 'HEAD'])
          for (const q of queries(path)) {
            const res = await raw(method, spelling + q)
            if (res.status === 308) {
              // Only slashes differ, and the clean form is the path itself with its query.
              if (
                spelling.replace(/\/+/g, '/').replace(/\/(\?|$)/, '$1') !==
                path + spelling.slice(spelling.indexOf('?') === -1 ? spelling.length : spelling.indexOf('?'))
              )
                seen.push(`${method} ${spelling}${q} redirected, but is not a slash spelling`)
              if (res.location !== path + (spelling.endsWith('?') ? '?' : '') + q) seen.push(`${method} ${spelling}${q} -> ${res.location}`)
            } else if (res.status !== 404) seen.push(`${method} ${spelling}${q} -> ${res.status}`)
          }
    expect(seen).toEqual([])
  })

  it('a redirect never leaves the site, and the real addresses still answer', async () => {
    const away = await raw('GET', '//evil.example/')
    expect(away.status).toBe(308)
    expect(away.location).toBe('/evil.example')
    expect((await raw('GET', '/report')).status).toBe(200)
    expect((await raw('GET', '/?index')).status).toBe(200)
    const data = await raw('GET', '/report?_data=routes/_reporter.report')
    expect(data.status).toBe(200)
    expect(JSON.parse(data.text).inboxes[0].id).toBe(inboxId)
    expect((await raw('GET', '/REPORT?_data=routes/_reporter.report')).status).toBe(404)
    // Static assets are served before any of this, in their own spelling.
    const script = (await raw('GET', '/report')).text.match(/"(\/build\/[^"]+\.js)"/)?.[1]
    expect(script).toBeTruthy()
    expect((await raw('GET', script!)).status).toBe(200)
  })
})

describe('built assets', () => {
  it('every module the build made is served, those named after a $param route included', async () => {
    const dir = path.join(ROOT, 'public/build/routes')
    const names = fs.readdirSync(dir).filter((n) => n.endsWith('.js'))
    expect(names.some((n) => n.includes('$'))).toBe(true)
    for (const n of names) expect((await raw('GET', `/build/routes/${n}`)).status, n).toBe(200)
  })
})

describe('the no-JS budget is spent inside the actions', () => {
  it('30 junk no-JS posts in a second, in every spelling, store at most the budget', async () => {
    const before = await countRows(server.dbFile)
    const report = ['/report', '/report?_data=routes/_reporter.report', '/report?index', ...spellings('/report')]
    const sent = await Promise.all(Array.from({ length: 30 }, (_, i) => raw('POST', report[i % report.length], junkReport())))
    const stored = (await countRows(server.dbFile)) - before
    expect(stored).toBeGreaterThan(0)
    expect(stored).toBeLessThanOrEqual(BURST)
    const counted = sent.filter((r) => r.status !== 404)
    // A stored report answers with its receipt's address: a 303, or 204 and X-Remix-Redirect to ?_data.
    expect(counted.filter((r) => [200, 204, 303].includes(r.status)).length).toBe(stored)
    const refused = counted.filter((r) => r.status === 429)
    expect(refused.length).toBe(counted.length - stored)
    for (const r of refused) expect(visibleText(r.text)).toContain('Wait a minute, then go back and send the form again.')
  })

  it('with the budget spent, /check and /check/download are limited too, through ?_data= as well; pages still answer', async () => {
    for (const path of ['/check', '/check?_data=routes/_reporter.check', '/check/download', '/check/download?_data=routes/check.download']) {
      const res = await raw('POST', path, 'intent=open&receipt=nonsense&file=x')
      expect(res.status, path).toBe(429)
      expect(res.text).toContain('Too many forms are being sent right now. Nothing was sent or saved.')
    }
    expect((await raw('GET', '/report')).status).toBe(200)
    expect((await raw('GET', '/api/pow?purpose=report')).status).toBe(200)
  })
})
