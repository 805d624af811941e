import { createHash, randomBytes } from 'node:crypto'
import fs from 'node:fs'
import sqlite3 from 'sqlite3'
import { prepareFirstAdmin } from '../../app/review/enrol.client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { errorLines, startServer, tempDataDir, type RunningServer } from '../support/server'
import { setupLink } from '../e2e/reviewer-helpers'
import { softPasskey } from '../support/soft-passkey'

/** Reviewer sign-in seen from outside a browser: every malformed, stale or forged request is refused in words, never with a 5xx. */
let server: RunningServer
let token = ''
let prepared: Awaited<ReturnType<typeof prepareFirstAdmin>>
const statuses: Array<[string, number]> = []

beforeAll(async () => {
  prepared = await prepareFirstAdmin({ kind: 'prf', prf: randomBytes(32) }, { name: 'Test inbox', description: '' })
  server = await startServer({ dataDir: tempDataDir('candour-review-auth-') })
  token = new URL(await setupLink(server)).hash.slice(1)
})
afterAll(async () => {
  await server?.stop()
  if (server) fs.rmSync(server.dataDir, { recursive: true, force: true })
})

async function send(path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  const res = await fetch(`${server.url}${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: { ...(init.body === undefined ? {} : { 'content-type': 'application/json' }), ...init.headers },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    redirect: 'manual',
  })
  statuses.push([path, res.status])
  const text = await res.text()
  let body: any = text
  try {
    body = JSON.parse(text)
  } catch {
    // an HTML page or a redirect
  }
  return { status: res.status, headers: res.headers, body }
}

const b64 = (n: number) => randomBytes(n).toString('base64url')
const sha256 = (s: string) => createHash('sha256').update(s).digest('base64url')
const newToken = () => randomBytes(32).toString('base64url') // 43 characters, as the server makes them

/** A setup/complete body made as the browser makes it, so only the ceremony (or passkey) can fail it. */
const completeBody = (ceremonyId: string) => ({
  ceremonyId,
  registration: {
    id: b64(16),
    rawId: b64(16),
    type: 'public-key',
    response: { clientDataJSON: b64(40), attestationObject: b64(60) },
    clientExtensionResults: {},
  },
  reviewer: prepared.reviewer,
  inbox: prepared.inbox,
})

const assertion = () => ({
  id: b64(16),
  rawId: b64(16),
  type: 'public-key',
  response: { clientDataJSON: b64(40), authenticatorData: b64(37), signature: b64(70) },
  clientExtensionResults: {},
})

function insertSetupToken(dbFile: string, hash: string, expiresAt: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(dbFile, (err) => {
      if (err) return reject(err)
      db.configure('busyTimeout', 5000)
      db.run('INSERT INTO setup_tokens (token_hash, expires_at) VALUES (?, ?)', [hash, expiresAt], (err2) => {
        db.close()
        if (err2) reject(err2)
        else resolve()
      })
    })
  })
}

describe('setup links', () => {
  it('a malformed token is refused with 400', async () => {
    for (const bad of ['short', `${token}x`, token.slice(0, 42) + '!', 42]) {
      const r = await send('/api/review/setup/options', { body: { token: bad, displayName: 'Dana' } })
      expect(r.status, JSON.stringify(bad)).toBe(400)
      expect(r.body.error).toBeTruthy()
    }
  })

  it('a well-formed but unknown token is refused with 410', async () => {
    const r = await send('/api/review/setup/options', { body: { token: newToken(), displayName: 'Dana' } })
    expect(r.status).toBe(410)
    expect(r.body.error).toMatch(/used or has expired/)
  })

  it('an expired token is refused with 410', async () => {
    const expired = newToken()
    await insertSetupToken(server.dbFile, sha256(expired), new Date(Date.now() - 60_000).toISOString())
    const r = await send('/api/review/setup/options', { body: { token: expired, displayName: 'Dana' } })
    expect(r.status).toBe(410)
    expect(r.body.error).toMatch(/used or has expired/)
  })

  it('the printed token opens a ceremony', async () => {
    const r = await send('/api/review/setup/options', { body: { token, displayName: 'Dana' } })
    expect(r.status).toBe(200)
    expect(r.body.ceremonyId).toBeTruthy()
    expect(r.body.options.rp.id).toBe('localhost')
    expect(r.body.options.authenticatorSelection).toMatchObject({ residentKey: 'required', userVerification: 'required' })
  })
})

describe('ceremonies', () => {
  it('setup/complete with an unknown ceremonyId is refused with 400', async () => {
    const r = await send('/api/review/setup/complete', { body: completeBody(b64(16)) })
    expect(r.status).toBe(400)
    expect(r.body.error).toMatch(/already used or never existed/)
  })

  it('a setup ceremony is single use, even after a failed registration', async () => {
    const opts = await send('/api/review/setup/options', { body: { token, displayName: 'Dana' } })
    const first = await send('/api/review/setup/complete', { body: completeBody(opts.body.ceremonyId) })
    expect(first.status).toBe(400)
    expect(first.body.error).toMatch(/could not be registered/)
    const again = await send('/api/review/setup/complete', { body: completeBody(opts.body.ceremonyId) })
    expect(again.status).toBe(400)
    expect(again.body.error).toMatch(/already used/)
    expect(again.headers.get('set-cookie')).toBeNull()
  })

  it('a passkey bound to another RP ID (or made for another origin) is refused, and the link stays unused', async () => {
    for (const key of [softPasskey(server.url, { rpId: 'evil.example.org' }), softPasskey('http://evil.example.org')]) {
      const opts = await send('/api/review/setup/options', { body: { token, displayName: 'Dana' } })
      const r = await send('/api/review/setup/complete', {
        body: { ...completeBody(opts.body.ceremonyId), registration: key.register(opts.body.options) },
      })
      expect(r.status).toBe(400)
      expect(r.body.error).toMatch(/could not be registered: .*(RP ID|origin)/i)
    }
    expect((await send('/api/review/setup/options', { body: { token, displayName: 'Dana' } })).status).toBe(200)
  })

  it('sign-in with an unknown ceremonyId is refused with 400', async () => {
    const r = await send('/api/review/sign-in', { body: { ceremonyId: b64(16), assertion: assertion() } })
    expect(r.status).toBe(400)
    expect(r.body.error).toMatch(/already used or never existed/)
  })

  it('sign-in with a bogus assertion shape is refused with 400', async () => {
    const { body } = await send('/api/review/sign-in/options', { body: {} })
    for (const bogus of [{}, { id: 'x' }, { ...assertion(), type: 'password' }, 'assertion', null, { ...assertion(), id: 'a'.repeat(2000) }]) {
      const r = await send('/api/review/sign-in', { body: { ceremonyId: body.ceremonyId, assertion: bogus } })
      expect(r.status, JSON.stringify(bogus).slice(0, 80)).toBe(400)
    }
    const extra = await send('/api/review/sign-in', { body: { ceremonyId: body.ceremonyId, assertion: assertion(), extra: 1 } })
    expect(extra.status).toBe(400)
  })

  it('a sign-in ceremony is single use: an unknown passkey gets 401, the same ceremony again 400', async () => {
    const { body } = await send('/api/review/sign-in/options', { body: {} })
    expect(body.options.rpId).toBe('localhost')
    expect(body.options.userVerification).toBe('required')
    const first = await send('/api/review/sign-in', { body: { ceremonyId: body.ceremonyId, assertion: assertion() } })
    expect(first.status).toBe(401)
    const again = await send('/api/review/sign-in', { body: { ceremonyId: body.ceremonyId, assertion: assertion() } })
    expect(again.status).toBe(400)
    expect(again.body.error).toMatch(/already used/)
    expect(again.headers.get('set-cookie')).toBeNull()
  })

  it('a flood of sign-in options does not push out a sign-in already started (ADR 0017)', async () => {
    const { body } = await send('/api/review/sign-in/options', { body: {} })
    for (let i = 0; i < 30; i++) await Promise.all(Array.from({ length: 100 }, () => send('/api/review/sign-in/options', { body: {} })))
    // Still known: it reaches the passkey check (401), not "never existed" (400).
    const r = await send('/api/review/sign-in', { body: { ceremonyId: body.ceremonyId, assertion: assertion() } })
    expect([r.status, r.body.error]).toEqual([401, expect.stringMatching(/not registered/)])
  })
})

describe('reviewer pages and routes', () => {
  it('GET /review without a cookie redirects to sign-in', async () => {
    const r = await send('/review')
    expect(r.status).toBe(302)
    expect(r.headers.get('location')).toBe('/review/sign-in')
  })

  it('GET /review with a forged cookie redirects to sign-in', async () => {
    for (const value of [b64(32), '', 'x'.repeat(4000), '%00%ff']) {
      const r = await send('/review', { headers: { cookie: `candour_review=${value}` } })
      expect(r.status).toBe(302)
      expect(r.headers.get('location')).toBe('/review/sign-in')
    }
  })

  it('GET on the POST-only routes answers 405', async () => {
    for (const path of ['setup/options', 'setup/complete', 'sign-in/options', 'sign-in']) {
      const r = await send(`/api/review/${path}`)
      expect(r.status, path).toBe(405)
      expect(r.headers.get('allow')).toBe('POST')
    }
  })

  it('a cross-site POST is refused with 403 and opens no ceremony', async () => {
    for (const headers of <Array<Record<string, string>>>[
      { origin: 'http://evil.example.org' },
      { origin: 'http://evil.example.org', 'sec-fetch-site': 'cross-site' },
    ]) {
      const r = await send('/api/review/sign-in/options', { body: {}, headers })
      expect(r.status).toBe(403)
      expect(r.body?.ceremonyId).toBeUndefined()
    }
    const setup = await send('/api/review/setup/options', { body: { token, displayName: 'Dana' }, headers: { origin: 'http://evil.example.org' } })
    expect(setup.status).toBe(403)
  })

  it('nothing answered 5xx and the server logged no error', () => {
    expect(statuses.filter(([, s]) => s >= 500)).toEqual([])
    expect(statuses.length).toBeGreaterThan(20)
    expect(errorLines(server.output())).toEqual([])
  })
})
