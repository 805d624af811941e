import fs from 'node:fs'
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { INBOX_WRAP_BYTES, NONCE_BYTES, TAG_BYTES, toB64, type InboxKeys } from '../../crypto/index'
import { countRows, json, loadInboxKeys, openInboxCli, todayUtc } from '../support/http'
import { sealedSubmission } from '../support/seal'
import { createInbox, errorLines, startServer, tempDataDir, type RunningServer } from '../support/server'

/** The JS path: the browser seals, POST /api/reports stores opaque values only. */
let server: RunningServer
let inbox: { id: string; keyFile: string }
let keys: InboxKeys
let api: string

const answers = {
  categories: ['racism', 'bullying'],
  whatHappened: 'Sergeant Pemberton called the new recruit a slur during the Tuesday briefing.',
  when: 'Last Tuesday morning',
  where: 'Northgate custody suite',
  who: 'Sergeant Pemberton',
  role: 'witness',
  contact: '',
}

beforeAll(async () => {
  const dataDir = tempDataDir()
  inbox = createInbox(dataDir)
  keys = await loadInboxKeys(inbox.keyFile)
  server = await startServer({ dataDir })
  api = `${server.url}/api/reports`
})

afterAll(async () => {
  await server?.stop()
  if (server) fs.rmSync(server.dataDir, { recursive: true, force: true })
})

const fresh = async (a: unknown = answers) => (await sealedSubmission(inbox.id, keys, a)).body
const random = (n: number) => toB64(new Uint8Array(randomBytes(n)))

describe('POST /api/reports with a sealed report', () => {
  it('stores it and answers 201 with only the UTC day', async () => {
    const before = await countRows(server.dbFile)
    const res = await json(api, { body: await fresh() })
    expect(res.status).toBe(201)
    expect(res.body).toEqual({ receivedDay: todayUtc() })
    expect(await countRows(server.dbFile)).toBe(before + 1)
  })

  it('the offline CLI opens it with the inbox key file and prints the answers', async () => {
    const out = openInboxCli(server.dataDir, inbox.keyFile)
    expect(out).toMatch(/: 1 report\(s\)/)
    expect(out).toContain(`=== Report 1 · received ${todayUtc()} · Received, not yet acknowledged`)
    expect(out).toContain('Kind: Racism, Bullying or "banter"')
    expect(out).toContain(answers.whatHappened)
    expect(out).toContain('When:\n  │ Last Tuesday morning')
    expect(out).toContain('Where / team:\n  │ Northgate custody suite')
    expect(out).toContain('Who:\n  │ Sergeant Pemberton')
    expect(out).toContain('How they know: I saw or heard it')
    expect(out).toContain('Contact: none (anonymous)')
    // The reporter signature over the first message checks out, and matches the server's column.
    expect(out).not.toContain('WARNING')
    expect(out).not.toContain('cannot open')
  })

  it('refuses a second report with the same locator (409) and keeps only the first', async () => {
    const body = await fresh({ ...answers, whatHappened: 'first of a pair' })
    const before = await countRows(server.dbFile)
    const first = await json(api, { body })
    expect(first.status).toBe(201)
    // Same locator, otherwise a brand new sealed report.
    const again = { ...(await fresh({ ...answers, whatHappened: 'second of a pair' })), locator: body.locator }
    const second = await json(api, { body: again })
    expect(second.status).toBe(409)
    expect(second.body.error).toMatch(/already exists/)
    // An exact replay is refused the same way.
    expect((await json(api, { body })).status).toBe(409)
    expect(await countRows(server.dbFile)).toBe(before + 1)
    const out = openInboxCli(server.dataDir, inbox.keyFile)
    expect(out).toContain('first of a pair')
    expect(out).not.toContain('second of a pair')
  })
})

describe('POST /api/reports refuses bad input with a clear 4xx and stores nothing', () => {
  type Case = { name: string; status: number; error: RegExp; make: () => Promise<{ body?: unknown; raw?: string; contentType?: string }> }
  const cases: Case[] = [
    {
      name: 'unknown inbox id',
      status: 404,
      error: /inbox does not exist/,
      make: async () => ({ body: { ...(await fresh()), inboxId: 'NoSuchInbox12345' } }),
    },
    {
      name: 'malformed inbox id',
      status: 400,
      error: /inboxId/,
      make: async () => ({ body: { ...(await fresh()), inboxId: '../../etc/passwd' } }),
    },
    {
      name: 'wrong key version',
      status: 409,
      error: /newer key/,
      make: async () => ({ body: { ...(await fresh()), keyVersion: 2 } }),
    },
    {
      name: 'key version not an integer',
      status: 400,
      error: /keyVersion/,
      make: async () => ({ body: { ...(await fresh()), keyVersion: '1' } }),
    },
    {
      name: 'envelope body not a padded bucket length',
      status: 400,
      error: /padded size bucket/,
      make: async () => {
        const b = await fresh()
        return { body: { ...b, envelope: { ...b.envelope, body: random(NONCE_BYTES + 1000 + TAG_BYTES) } } }
      },
    },
    {
      name: 'envelope body over the largest bucket',
      status: 400,
      error: /too large/,
      make: async () => {
        const b = await fresh()
        return { body: { ...b, envelope: { ...b.envelope, body: random(NONCE_BYTES + 256 * 1024 + TAG_BYTES) } } }
      },
    },
    {
      name: 'inbox wrap of the wrong length',
      status: 400,
      error: /inbox wrap/,
      make: async () => {
        const b = await fresh()
        return { body: { ...b, envelope: { ...b.envelope, inbox: random(INBOX_WRAP_BYTES - 1) } } }
      },
    },
    {
      name: 'missing reporter wrap',
      status: 400,
      error: /envelope\.reporter/,
      make: async () => {
        const b = await fresh()
        const { reporter: _, ...envelope } = b.envelope
        return { body: { ...b, envelope } }
      },
    },
    {
      name: 'envelope version other than 1',
      status: 400,
      error: /envelope\.v/,
      make: async () => {
        const b = await fresh()
        return { body: { ...b, envelope: { ...b.envelope, v: 2 } } }
      },
    },
    {
      name: 'an extra unknown field',
      status: 400,
      error: /Unrecognized key: "name"/,
      make: async () => ({ body: { ...(await fresh()), name: 'Constable Smith' } }),
    },
    {
      name: 'an extra field inside the envelope',
      status: 400,
      error: /envelope/,
      make: async () => {
        const b = await fresh()
        return { body: { ...b, envelope: { ...b.envelope, note: 'x' } } }
      },
    },
    {
      name: 'locator of the wrong length',
      status: 400,
      error: /locator/,
      make: async () => ({ body: { ...(await fresh()), locator: random(31) } }),
    },
    {
      name: 'locator in standard base64 rather than base64url',
      status: 400,
      error: /locator/,
      make: async () => ({ body: { ...(await fresh()), locator: `${'+/'.repeat(21)}A=` } }),
    },
    {
      name: 'signing key of the wrong length',
      status: 400,
      error: /signPk/,
      make: async () => ({ body: { ...(await fresh()), signPk: random(33) } }),
    },
    {
      name: 'self-note of the wrong size',
      status: 400,
      error: /self-note/,
      make: async () => ({ body: { ...(await fresh()), selfNote: random(200) } }),
    },
    { name: 'a JSON array', status: 400, error: /./, make: async () => ({ body: [] }) },
    { name: 'JSON null', status: 400, error: /./, make: async () => ({ raw: 'null' }) },
    { name: 'a body that is not JSON', status: 400, error: /not valid JSON/, make: async () => ({ raw: '{"inboxId": ' }) },
    { name: 'an empty body', status: 400, error: /not valid JSON/, make: async () => ({ raw: '' }) },
    {
      name: 'the wrong content type',
      status: 415,
      error: /Send JSON/,
      make: async () => ({ raw: JSON.stringify(await fresh()), contentType: 'text/plain' }),
    },
    {
      name: 'a form post to the API',
      status: 415,
      error: /Send JSON/,
      make: async () => ({ raw: 'inboxId=x', contentType: 'application/x-www-form-urlencoded' }),
    },
  ]

  for (const c of cases)
    it(`${c.name}: ${c.status}`, async () => {
      const before = await countRows(server.dbFile)
      const res = await json(api, await c.make())
      expect(res.status, JSON.stringify(res.body)).toBe(c.status)
      expect(typeof res.body.error).toBe('string')
      expect(res.body.error).toMatch(c.error)
      expect(await countRows(server.dbFile)).toBe(before)
    })

  it('a body over 512 KiB by Content-Length: 413, before it is read', async () => {
    const before = await countRows(server.dbFile)
    const b = await fresh()
    const raw = JSON.stringify({ ...b, padding: 'x'.repeat(512 * 1024) })
    const res = await fetch(api, { method: 'POST', headers: { 'content-type': 'application/json' }, body: raw })
    expect(res.status).toBe(413)
    expect(await res.text()).toMatch(/too large.*512 KiB/)
    expect(await countRows(server.dbFile)).toBe(before)
  })

  it('a chunked body without Content-Length: 411', async () => {
    const before = await countRows(server.dbFile)
    const raw = new TextEncoder().encode(JSON.stringify(await fresh()))
    const res = await fetch(api, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: new ReadableStream({ start: (c) => (c.enqueue(raw), c.close()) }),
      duplex: 'half',
    } as RequestInit)
    expect(res.status).toBe(411)
    expect(await res.text()).toMatch(/Content-Length/)
    expect(await countRows(server.dbFile)).toBe(before)
  })

  it('the same report posted five times at once: one 201, four 409, one row', async () => {
    const before = await countRows(server.dbFile)
    const body = await fresh({ ...answers, whatHappened: 'sent in a hurry' })
    const statuses = (await Promise.all([1, 2, 3, 4, 5].map(() => json(api, { body })))).map((r) => r.status)
    expect(statuses.sort()).toEqual([201, 409, 409, 409, 409])
    expect(await countRows(server.dbFile)).toBe(before + 1)
  })

  it('GET, PUT and DELETE on /api/reports: 405, never a 5xx', async () => {
    const get = await json(api)
    expect(get.status).toBe(405)
    expect(get.headers.get('allow')).toBe('POST')
    expect(get.body.error).toMatch(/Use POST/)
    for (const method of ['PUT', 'DELETE', 'PATCH']) {
      const res = await json(api, { method, body: await fresh() })
      expect(res.status, method).toBeGreaterThanOrEqual(400)
      expect(res.status, method).toBeLessThan(500)
    }
  })

  it('nothing refused above reached the inbox, and the server never answered 5xx', async () => {
    const out = openInboxCli(server.dataDir, inbox.keyFile)
    // One from the first test, one from the duplicate pair, one from the hurried five.
    expect(out).toMatch(/: 3 report\(s\)/)
    expect(out.match(/=== Report \d/g)).toHaveLength(3)
    expect(await countRows(server.dbFile)).toBe(3)
    expect(errorLines(server.output())).toEqual([])
  })
})
