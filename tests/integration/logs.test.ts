import fs from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { deriveReporterKeys, formatReceipt, fromB64, openThreadAsReporter, ready, sealFollowup, sign, toB64, type InboxKeys } from '../../crypto/index'
import { normaliseReceipt } from '../../crypto/receipt'
import { solvePow, type PowChallenge } from '../../crypto/pow'
import { loadInboxKeys, receiptFromPage, seeOther } from '../support/http'
import { POW_PATHS } from '../support/pow'
import { sealedSubmission } from '../support/seal'
import { createInbox, startServer, tempDataDir, type RunningServer } from '../support/server'

/**
 * The process log, at its most talkative level, after a whole reporter session: JSON lines only,
 * no request lines, and nothing that names the client or the report.
 */
let server: RunningServer
let inbox: { id: string; keyFile: string }
let keys: InboxKeys

const UA = 'Mozilla/5.0 (Linux; Android 14) Candour-Logs-Probe/7.3 Wobbegong'
const FORWARDED = '203.0.113.77'
const COOKIE_VALUE = 'tasselled-narwhal-cookie-9f3c'
const words = {
  js: 'Gorgonzola sergeant shouted at the custody desk.',
  jsWhere: 'Ptarmigan Street custody suite',
  jsFollow: 'Xylophone follow-up about the Thursday briefing.',
  nojs: 'Wombatish inspector mocked the probationer.',
  nojsWho: 'Inspector Fandangle',
  nojsFollow: 'Quokkalike follow-up about the kit room.',
  refused: 'Lugubrious',
}
const plainWords = ['Gorgonzola', 'Ptarmigan', 'Xylophone', 'Wombatish', 'Fandangle', 'Quokkalike', 'Lugubrious']
const secrets: Array<[string, string]> = []

const headers = (extra: Record<string, string> = {}): Record<string, string> => ({
  'user-agent': UA,
  'x-forwarded-for': FORWARDED,
  'x-real-ip': FORWARDED,
  cookie: `candour_probe=${COOKIE_VALUE}; theme=dark`,
  ...extra,
})

type SendInit = { method?: string; json?: unknown; form?: Array<[string, string]>; raw?: string; token?: string }

async function send(path: string, init: SendInit = {}): Promise<{ status: number; body: any; text: string }> {
  const h = headers(init.token ? { authorization: `Bearer ${init.token}` } : {})
  let body: string | undefined
  let value = init.json
  // As the browser does: a fresh proof of work (decision 12), fetched with the same headers.
  const purpose = POW_PATHS.get(path)
  if (value && typeof value === 'object' && purpose) {
    value = { ...value, pow: solvePow((await send(`/api/pow?purpose=${purpose}`)).body as PowChallenge, value) }
    for (const s of encodedStrings(value)) secrets.push(['pow', s])
  }
  if (value !== undefined || init.raw !== undefined) {
    h['content-type'] = 'application/json'
    body = init.raw ?? JSON.stringify(value)
  } else if (init.form) {
    h['content-type'] = 'application/x-www-form-urlencoded'
    body = new URLSearchParams(init.form).toString()
  }
  const url = `${server.url}${path}`
  const first = await fetch(url, { method: init.method ?? (body ? 'POST' : 'GET'), headers: h, body, redirect: 'manual' })
  // A no-JS receipt is shown at its own address: followed as a browser would, and logged the same.
  const { status, html: text } = await seeOther(url, first)
  let parsed: any = text
  try {
    parsed = JSON.parse(text)
  } catch {
    // a page, not JSON
  }
  return { status, body: parsed, text }
}

/** Every base64 / base64url string of 16+ characters anywhere in a value, e.g. a sealed envelope. */
function encodedStrings(v: unknown, out: string[] = []): string[] {
  if (typeof v === 'string' && v.length >= 16 && /^[A-Za-z0-9+/_=-]+$/.test(v)) out.push(v)
  else if (v && typeof v === 'object') for (const x of Object.values(v)) encodedStrings(x, out)
  return out
}

beforeAll(async () => {
  const dataDir = tempDataDir('candour-logs-')
  inbox = createInbox(dataDir)
  keys = await loadInboxKeys(inbox.keyFile)
  server = await startServer({ dataDir, env: { LOG_LEVEL: 'trace' } })
})

afterAll(async () => {
  await server?.stop()
  if (server) fs.rmSync(server.dataDir, { recursive: true, force: true })
})

describe('the process log after a whole reporter session', () => {
  it('runs the session: JS report, login, thread, follow-up; no-JS report and check; refusals', async () => {
    await ready()
    // JS: sealed in the "browser", sent as JSON.
    const { receipt, body } = await sealedSubmission(inbox.id, keys, {
      categories: ['bullying'],
      whatHappened: words.js,
      when: '',
      where: words.jsWhere,
      who: '',
      role: 'witness',
      contact: '',
    })
    const first = await send('/api/reports', { json: body })
    expect(first.status, first.text).toBe(201)
    expect((await send('/api/reports', { json: body })).status).toBe(409)
    const rk = deriveReporterKeys(normaliseReceipt(formatReceipt(receipt)))
    secrets.push(['receipt', formatReceipt(receipt)], ['locator', rk.locator])
    for (const s of encodedStrings(body)) secrets.push(['envelope', s])

    const c = await send('/api/reporter/challenge', { json: { locator: rk.locator } })
    expect(c.status).toBe(200)
    const signature = toB64(sign('login', fromB64(c.body.challenge), rk.sign.privateKey))
    const l = await send('/api/reporter/login', { json: { challengeId: c.body.challengeId, signature } })
    expect(l.status).toBe(200)
    const token: string = l.body.token
    secrets.push(['token', token], ['signature', signature], ['challenge', c.body.challenge])
    const thread = await send('/api/reporter/thread', { token })
    expect(thread.status).toBe(200)
    const view = openThreadAsReporter(thread.body, rk)
    const envelope = sealFollowup(words.jsFollow, rk, view.sealTo!.boxPk, [], view.chain.next)
    for (const s of encodedStrings(envelope)) secrets.push(['follow-up envelope', s])
    expect((await send('/api/reporter/messages', { json: { keyVersion: 1, envelope }, token })).status).toBe(201)

    // No JS: plain forms, sealed by the server.
    const sent = await send('/report', {
      form: [
        ['intent', 'send'],
        ['inboxId', inbox.id],
        ['categories', 'racism'],
        ['whatHappened', words.nojs],
        ['who', words.nojsWho],
        ['role', 'targeted'],
      ],
    })
    expect(sent.status).toBe(200)
    const nojsReceipt = receiptFromPage(sent.text)
    secrets.push(['no-JS receipt', nojsReceipt], ['no-JS locator', deriveReporterKeys(normaliseReceipt(nojsReceipt)).locator])
    const opened = await send('/check', {
      form: [
        ['intent', 'open'],
        ['receipt', nojsReceipt],
      ],
    })
    expect(opened.text).toContain(words.nojs)
    const followed = await send('/check', {
      form: [
        ['intent', 'followup'],
        ['receipt', nojsReceipt],
        ['message', words.nojsFollow],
      ],
    })
    expect(followed.text).toContain(words.nojsFollow)

    // Refusals: too long, no such inbox, wrong receipt, bad JSON, wrong method, bad token, unknown page.
    const tooLong = await send('/report', {
      form: [
        ['intent', 'send'],
        ['inboxId', inbox.id],
        ['categories', 'racism'],
        ['whatHappened', `${words.refused} ${'x'.repeat(20_001)}`],
      ],
    })
    expect(tooLong.status).toBeLessThan(500)
    await send('/report', {
      form: [
        ['intent', 'send'],
        ['inboxId', 'NoSuchInbox12345'],
        ['categories', 'racism'],
        ['whatHappened', words.refused],
      ],
    })
    await send('/check', {
      form: [
        ['intent', 'open'],
        ['receipt', nojsReceipt.replace(/^./, (ch) => (ch === 'A' ? 'B' : 'A'))],
      ],
    })
    await send('/api/reports', { raw: `{"whatHappened": "${words.refused}"` })
    await send('/api/reporter/thread', { method: 'POST', json: { text: words.refused } })
    await send('/api/reporter/thread', { token: `${words.refused}-not-a-token` })
    await send('/api/reporter/challenge', { json: { locator: words.refused } })
    await send(`/${encodeURIComponent(words.refused)}?receipt=${encodeURIComponent(nojsReceipt)}`)
    for (const path of ['/', '/report', '/check', '/exit']) await send(path)
    await new Promise((r) => setTimeout(r, 200))
  })

  it('every line is JSON with only level, time, msg and the startup url or an error name', () => {
    const lines = server
      .output()
      .split('\n')
      .filter((l) => l.trim() !== '')
    expect(lines.length).toBeGreaterThan(0)
    for (const line of lines) {
      let entry: Record<string, unknown>
      expect(() => (entry = JSON.parse(line)), line).not.toThrow()
      entry = JSON.parse(line)
      expect(typeof entry.level, line).toBe('number')
      expect(typeof entry.time, line).toBe('number')
      expect(typeof entry.msg, line).toBe('string')
      for (const k of Object.keys(entry)) expect(['level', 'time', 'msg', 'url', 'name'], line).toContain(k)
      if ('url' in entry) expect(entry.msg, line).toMatch(/^(listening|first run)/)
    }
    // No request logging: only the startup lines, whatever the session did.
    const msgs = lines.map((l) => JSON.parse(l).msg as string).filter((m) => !/^(listening|first run|no inbox yet|PUBLIC_URL is not set)/.test(m))
    expect(msgs).toEqual([])
  })

  it('no line names the client, the receipt, the locator, the cookie, the words or the envelope', () => {
    const out = server.output()
    for (const needle of ['127.0.0.1', '::1', '::ffff:', FORWARDED, UA, 'Wobbegong', COOKIE_VALUE, 'candour_probe']) expect(out, needle).not.toContain(needle)
    for (const w of plainWords) expect(out, w).not.toContain(w)
    expect(secrets.length).toBeGreaterThan(8)
    for (const [label, s] of secrets) {
      expect(out, label).not.toContain(s)
      if (label.includes('receipt')) expect(out, label).not.toContain(s.replace(/-/g, ''))
      // Fragments too: any 12-character piece of an encoded value.
      for (let i = 0; i + 12 <= s.length; i += 6) expect(out, `${label} fragment`).not.toContain(s.slice(i, i + 12))
    }
  })
})
