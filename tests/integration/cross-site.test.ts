import fs from 'node:fs'
import http from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { countRows } from '../support/http'
import { createInbox, errorLines, startServer, tempDataDir, type RunningServer } from '../support/server'

/** State-changing requests must come from our own pages; a forged cross-site post changes nothing. */
let server: RunningServer
let inboxId: string

beforeAll(async () => {
  const dataDir = tempDataDir()
  inboxId = createInbox(dataDir).id
  server = await startServer({ dataDir })
})
afterAll(async () => {
  await server?.stop()
  if (server) fs.rmSync(server.dataDir, { recursive: true, force: true })
})

const send = (headers: Record<string, string>) =>
  fetch(`${server.url}/report`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams([
      ['intent', 'send'],
      ['inboxId', inboxId],
      ['categories', 'bullying'],
      ['whatHappened', 'Cross-site test words'],
    ]).toString(),
  })

describe('cross-site requests', () => {
  it('refuses a form posted from another site with a clear 403, storing nothing', async () => {
    const before = await countRows(server.dbFile)
    for (const headers of <Array<Record<string, string>>>[
      { origin: 'https://evil.example.org', 'sec-fetch-site': 'cross-site' },
      { origin: 'https://evil.example.org' },
      { 'sec-fetch-site': 'same-site' },
      { origin: 'null' },
      { origin: 'null', 'sec-fetch-site': 'cross-site' },
      { origin: 'not a url' },
    ]) {
      const res = await send(headers)
      expect(res.status, JSON.stringify(headers)).toBe(403)
      expect(await res.text()).toContain('came from another site')
    }
    const api = await fetch(`${server.url}/api/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://evil.example.org' },
      body: '{}',
    })
    expect(api.status).toBe(403)
    expect(await countRows(server.dbFile)).toBe(before)
  })

  it('accepts our own pages: same origin, or Origin null confirmed by Sec-Fetch-Site (no-referrer policy)', async () => {
    const before = await countRows(server.dbFile)
    const own = new URL(server.url).origin
    expect((await send({ origin: own, 'sec-fetch-site': 'same-origin' })).status).toBe(200)
    expect((await send({ origin: 'null', 'sec-fetch-site': 'same-origin' })).status).toBe(200)
    expect(await countRows(server.dbFile)).toBe(before + 2)
    expect(errorLines(server.output())).toEqual([])
  })
})

/** A raw request, so Host can be anything (fetch always sends the URL's own). */
function raw(method: string, path: string, headers: Record<string, string>, body = ''): Promise<{ status: number; text: string }> {
  const url = new URL(server.url)
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: url.hostname, port: url.port, method, path, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } },
      (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (d) => (text += d))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }))
      },
    )
    req.on('error', reject)
    req.end(body)
  })
}

describe('DNS rebinding', () => {
  const form = () =>
    new URLSearchParams([
      ['intent', 'send'],
      ['inboxId', inboxId],
      ['categories', 'bullying'],
      ['whatHappened', 'Rebinding test words'],
    ]).toString()

  it('a page on another name that resolves here, sending its own Host and Origin, is refused and stores nothing', async () => {
    const before = await countRows(server.dbFile)
    const port = new URL(server.url).port
    for (const name of [`evil.example:${port}`, `127.0.0.1:${port}`, `localhost.:${port}`, 'localhost']) {
      const res = await raw(
        'POST',
        '/report',
        {
          host: name,
          origin: `http://${name}`,
          'sec-fetch-site': 'same-origin',
          'content-type': 'application/x-www-form-urlencoded',
        },
        form(),
      )
      expect(res.status, name).toBe(421)
      expect(res.text).toContain(`only answers at ${new URL(server.url).origin}`)
      const page = await raw('GET', '/check', { host: name })
      expect(page.status, name).toBe(421)
    }
    expect(await countRows(server.dbFile)).toBe(before)
  })

  it('our own Host with another Origin is a cross-site post: 403', async () => {
    const port = new URL(server.url).port
    const res = await raw(
      'POST',
      '/report',
      {
        host: new URL(server.url).host,
        origin: `http://127.0.0.1:${port}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      form(),
    )
    expect(res.status).toBe(403)
  })

  it("both refusals are in the asker's language: a page's ?lang=cy, a fetch's Accept-Language", async () => {
    const evil = { origin: 'https://evil.example.org', 'content-type': 'application/x-www-form-urlencoded' }
    const page = await raw('POST', '/report?lang=cy', { ...evil, host: new URL(server.url).host }, form())
    expect([page.status, page.text]).toEqual([403, 'Daeth y cais hwn o wefan arall, felly cafodd ei wrthod.'])
    const api = await raw('POST', '/api/reports', { ...evil, host: new URL(server.url).host, 'accept-language': 'cy' }, '{}')
    expect([api.status, api.text]).toEqual([403, 'Daeth y cais hwn o wefan arall, felly cafodd ei wrthod.'])
    const elsewhere = await raw('GET', '/check?lang=cy', { host: 'evil.example' })
    expect([elsewhere.status, elsewhere.text]).toEqual([
      421,
      `Dim ond yn ${new URL(server.url).origin} y mae'r gweinydd hwn yn ateb. Gwiriwch y cyfeiriad a ddefnyddiwyd gennych.`,
    ])
  })
})
