import fs from 'node:fs'
import http from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../server/config.server'
import { postForm } from '../support/http'
import { createInbox, startServer, tempDataDir, type RunningServer } from '../support/server'

/** Headers that depend on configuration: Onion-Location, HSTS; and assets that are never cached. */
const ONION = `http://${'candour'.padEnd(56, 'x').replace(/[^a-z2-7]/g, 'q')}.onion`
let plain: RunningServer
let onion: RunningServer

beforeAll(async () => {
  const a = tempDataDir()
  const b = tempDataDir()
  createInbox(a)
  createInbox(b)
  ;[plain, onion] = await Promise.all([
    startServer({ dataDir: a }),
    // Still plain http on localhost: PUBLIC_URL says where people reach it (behind TLS).
    startServer({ dataDir: b, env: { ONION_URL: ONION, PUBLIC_URL: 'https://candour.example.org' } }),
  ])
})

afterAll(async () => {
  for (const s of [plain, onion]) {
    await s?.stop()
    if (s) fs.rmSync(s.dataDir, { recursive: true, force: true })
  }
})

const PAGES = ['/', '/report', '/check', '/check?from=home', '/exit', '/no-such-page']
const REVIEW = ['/review', '/review/sign-in', '/api/review/session']

const get = (url: string) => fetch(url, { redirect: 'manual' })

/** A GET as the onion service delivers it: same process, Host is the .onion name. */
function viaOnion(url: string, path: string): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${url}${path}`, { headers: { host: new URL(ONION).host } }, (res) => {
      res.resume()
      resolve(res)
    })
    req.on('error', reject)
  })
}

describe('Onion-Location', () => {
  it('every page names the same path on the onion service when ONION_URL is set', async () => {
    for (const path of PAGES) {
      const res = await get(`${onion.url}${path}`)
      expect(res.headers.get('onion-location'), path).toBe(`${ONION}${path}`)
    }
    const posted = await postForm(`${onion.url}/check`, { intent: 'open', receipt: 'AAAA' })
    expect(posted.headers.get('onion-location')).toBe(`${ONION}/check`)
  })

  it('is not sent on reviewer pages: passkeys are bound to PUBLIC_URL and fail at the onion', async () => {
    for (const path of REVIEW) expect((await get(`${onion.url}${path}`)).headers.get('onion-location'), path).toBeNull()
  })

  it('requests that came through the onion get neither Onion-Location nor https upgrades', async () => {
    for (const path of ['/', '/report']) {
      const res = await viaOnion(onion.url, path)
      expect(res.statusCode, path).toBe(200)
      expect(res.headers['onion-location'], path).toBeUndefined()
      expect(res.headers['strict-transport-security'], path).toBeUndefined()
      expect(res.headers['content-security-policy'], path).not.toContain('upgrade-insecure-requests')
      expect(res.headers['content-security-policy'], path).toContain("default-src 'none'")
    }
  })

  it('is absent without ONION_URL', async () => {
    for (const path of PAGES) expect((await get(`${plain.url}${path}`)).headers.get('onion-location'), path).toBeNull()
  })

  it('ONION_URL must be a bare v3 onion origin, LOG_LEVEL a pino level', () => {
    const dir = tempDataDir()
    const base = { DATA_DIR: dir } as unknown as NodeJS.ProcessEnv
    expect(loadConfig({ ...base, ONION_URL: `${ONION}/` }).onionOrigin).toBe(ONION)
    for (const bad of ['https://example.org', `${ONION}/path`, 'http://short.onion', 'not a url'])
      expect(() => loadConfig({ ...base, ONION_URL: bad }), bad).toThrow(/ONION_URL/)
    expect(loadConfig(base).logLevel).toBe('info')
    expect(loadConfig({ ...base, LOG_LEVEL: 'warn' }).logLevel).toBe('warn')
    expect(() => loadConfig({ ...base, LOG_LEVEL: 'verbose' })).toThrow(/LOG_LEVEL/)
    fs.rmSync(dir, { recursive: true, force: true })
  })
})

describe('Strict-Transport-Security', () => {
  it('is sent when PUBLIC_URL is https, with CSP upgrade-insecure-requests', async () => {
    const res = await fetch(`${onion.url}/report`)
    expect(res.headers.get('strict-transport-security')).toBe('max-age=63072000; includeSubDomains')
    expect(res.headers.get('content-security-policy')).toContain('upgrade-insecure-requests')
  })

  it('is not sent over plain http', async () => {
    for (const path of PAGES) {
      const res = await get(`${plain.url}${path}`)
      expect(res.headers.get('strict-transport-security'), path).toBeNull()
      expect(res.headers.get('content-security-policy'), path).not.toContain('upgrade-insecure-requests')
    }
  })
})

describe('built assets leave nothing in the cache (ADR 0011)', () => {
  it('every /build script and stylesheet a page names is no-store, with no validators', async () => {
    const html = await (await fetch(`${plain.url}/report`)).text()
    const assets = [...new Set([...html.matchAll(/(?:src|href)="(\/build\/[^"]+)"/g)].map((m) => m[1]))]
    expect(assets.some((a) => a.endsWith('.js'))).toBe(true)
    expect(assets.some((a) => a.endsWith('.css'))).toBe(true)
    for (const asset of assets) {
      const res = await fetch(`${plain.url}${asset}`)
      expect(res.status, asset).toBe(200)
      expect(res.headers.get('cache-control'), asset).toBe('no-store')
      expect(res.headers.get('etag'), asset).toBeNull()
      expect(res.headers.get('last-modified'), asset).toBeNull()
      expect(res.headers.get('expires'), asset).toBeNull()
    }
    const missing = await fetch(`${plain.url}/build/nothing-here.js`)
    expect(missing.headers.get('cache-control')).toBe('no-store')
  })
})
