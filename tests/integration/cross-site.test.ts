import fs from 'node:fs'
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
