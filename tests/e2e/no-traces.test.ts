import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core'
import { launchChromium, phoneContext } from '../support/browser'
import { createInbox, startServer, tempDataDir, type RunningServer } from '../support/server'
import { reportCheckAndFollowUp } from './helpers'

/**
 * After a whole JS session (report, check, follow-up) the phone's browser keeps nothing for the
 * origin: no storage of any kind, no cookie, and nothing in the HTTP cache (ADR 0011). Asked
 * through the DevTools protocol, not only from the page, and the cache probe is checked against a
 * control origin that does allow caching, so a pass means "not cached", not "the probe is blind".
 */
let server: RunningServer
let control: http.Server
let controlUrl: string
let browser: Browser
let context: BrowserContext
const assetsSeen = new Set<string>()

beforeAll(async () => {
  const dataDir = tempDataDir('candour-e2e-traces-')
  createInbox(dataDir)
  control = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'public, max-age=3600' })
    res.end('export const cached = true\n')
  })
  await new Promise<void>((r) => control.listen(0, '127.0.0.1', r))
  controlUrl = `http://127.0.0.1:${(control.address() as AddressInfo).port}`
  ;[server, browser] = await Promise.all([startServer({ dataDir }), launchChromium()])
  context = await phoneContext(browser)
  context.setDefaultTimeout(10_000)
  context.on('response', (res) => {
    const u = new URL(res.url())
    if (u.origin === server.url && u.pathname.startsWith('/build/')) assetsSeen.add(u.pathname)
  })
})

afterAll(async () => {
  await browser?.close()
  await server?.stop()
  await new Promise((r) => control?.close(r))
  if (server) fs.rmSync(server.dataDir, { recursive: true, force: true })
})

/** Asks the HTTP cache, and only the cache, for each path: 'hit' or 'miss'. */
function probeCache(page: Page, paths: string[]) {
  return page.evaluate(async (list) => {
    const out: Record<string, string> = {}
    for (const p of list) {
      try {
        const r = await fetch(p, { cache: 'only-if-cached', mode: 'same-origin' })
        out[p] = r.ok ? 'hit' : `miss ${r.status}`
      } catch {
        out[p] = 'miss'
      }
    }
    return out
  }, paths)
}

async function storageByCdp(cdp: CDPSession, origin: string) {
  const usage = await cdp.send('Storage.getUsageAndQuota', { origin })
  const caches = await cdp.send('CacheStorage.requestCacheNames', { securityOrigin: origin })
  const idb = await cdp.send('IndexedDB.requestDatabaseNames', { securityOrigin: origin })
  const local = await cdp.send('DOMStorage.getDOMStorageItems', { storageId: { securityOrigin: origin, isLocalStorage: true } })
  const session = await cdp.send('DOMStorage.getDOMStorageItems', { storageId: { securityOrigin: origin, isLocalStorage: false } })
  const cookies = await cdp.send('Network.getAllCookies')
  return {
    usage: usage.usage,
    usedBy: usage.usageBreakdown.filter((b) => b.usage > 0).map((b) => b.storageType),
    caches: caches.caches.map((c) => c.cacheName),
    indexedDB: idb.databaseNames,
    localStorage: local.entries,
    sessionStorage: session.entries,
    cookies: cookies.cookies.map((c) => c.name),
  }
}

describe('no traces in the browser after a reporter session (phone, JS on)', () => {
  it('the cache probe sees a cacheable file on a control origin (so a miss means something)', async () => {
    const page = await context.newPage()
    await page.goto(`${controlUrl}/`)
    expect(await probeCache(page, ['/control.js'])).toEqual({ '/control.js': 'miss' })
    await page.evaluate(() => fetch('/control.js').then((r) => r.text()))
    expect(await probeCache(page, ['/control.js'])).toEqual({ '/control.js': 'hit' })
    await page.close()
  })

  it('report, check and follow-up leave no storage, no cookie and nothing in the HTTP cache', async () => {
    const page = await context.newPage()
    await reportCheckAndFollowUp(page, server.url)

    // Scripts (libsodium's included), styles, and the pages themselves.
    const assets = [...assetsSeen]
    expect(assets.filter((a) => a.endsWith('.js')).length).toBeGreaterThan(3)
    expect(assets.some((a) => a.endsWith('.css'))).toBe(true)
    const probe = await probeCache(page, [...assets, '/', '/report', '/check'])
    expect(Object.entries(probe).filter(([, v]) => v === 'hit')).toEqual([])

    const cdp = await context.newCDPSession(page)
    expect(await storageByCdp(cdp, server.url)).toEqual({
      usage: 0,
      usedBy: [],
      caches: [],
      indexedDB: [],
      localStorage: [],
      sessionStorage: [],
      cookies: [],
    })
    expect(await context.cookies()).toEqual([])
    expect((await context.storageState()).origins).toEqual([])

    // A repeat visit is served by the network for every file: nothing came from a cache.
    await cdp.send('Network.enable')
    const fromCache: string[] = []
    const fetched: string[] = []
    cdp.on('Network.requestServedFromCache', (e) => fromCache.push(e.requestId))
    cdp.on('Network.responseReceived', (e) => {
      if (e.response.fromDiskCache || e.response.fromPrefetchCache || e.response.fromServiceWorker) fromCache.push(e.response.url)
      fetched.push(new URL(e.response.url).pathname)
    })
    await page.goto(`${server.url}/report`, { waitUntil: 'networkidle' })
    expect(fetched.filter((p) => p.startsWith('/build/')).length).toBeGreaterThan(0)
    expect(fromCache).toEqual([])
    await cdp.detach()
    await page.close()
  })
})
