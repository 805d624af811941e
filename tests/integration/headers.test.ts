import fs from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { deriveReporterKeys, formatReceipt, openThreadAsReporter, sealFollowup, type InboxKeys } from '../../crypto/index'
import { json, loadInboxKeys, postForm, receiptFromPage, reporterToken } from '../support/http'
import { sealedSubmission } from '../support/seal'
import { createInbox, diskBytes, startServer, tempDataDir, type RunningServer } from '../support/server'

/** Security headers on every page, and no trace of what reporters wrote in logs or on disk. */
let server: RunningServer
let inbox: { id: string; keyFile: string }
let keys: InboxKeys

beforeAll(async () => {
  const dataDir = tempDataDir()
  inbox = createInbox(dataDir)
  keys = await loadInboxKeys(inbox.keyFile)
  server = await startServer({ dataDir })
})

afterAll(async () => {
  await server?.stop()
  if (server) fs.rmSync(server.dataDir, { recursive: true, force: true })
})

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...values]) => [name.toLowerCase(), values]),
  )
}

/** The checks every HTML page must pass; returns the page's CSP nonce. */
function expectSafePage(res: { status: number; headers: Headers }, html: string, label: string): string {
  const h = res.headers
  expect(res.status, label).toBeLessThan(500)
  expect(h.get('content-type'), label).toMatch(/^text\/html/)
  const csp = h.get('content-security-policy')
  expect(csp, label).toBeTruthy()
  const d = directives(csp!)
  const script = d.get('script-src') ?? []
  const nonces = script.filter((v) => /^'nonce-[A-Za-z0-9+/]{22}==?'$/.test(v))
  expect(nonces, `${label}: ${csp}`).toHaveLength(1)
  expect(script, label).toContain("'wasm-unsafe-eval'")
  expect(script, label).not.toContain("'unsafe-inline'")
  expect(script, label).not.toContain("'unsafe-eval'")
  expect(d.get('default-src'), label).toEqual(["'none'"])
  expect(d.get('frame-ancestors'), label).toEqual(["'none'"])
  expect(d.get('object-src'), label).toEqual(["'none'"])
  expect(d.get('base-uri'), label).toEqual(["'none'"])
  expect(d.get('form-action'), label).toEqual(["'self'"])
  expect(d.get('connect-src'), label).toEqual(["'self'"])
  expect(h.get('referrer-policy'), label).toBe('no-referrer')
  expect(h.get('x-robots-tag'), label).toBe('noindex, nofollow')
  expect(h.get('cache-control'), label).toBe('no-store')
  expect(h.get('x-content-type-options'), label).toBe('nosniff')
  expect(h.get('x-frame-options'), label).toMatch(/^(DENY|SAMEORIGIN)$/)
  expect(h.get('set-cookie'), label).toBeNull()
  expect(h.get('x-powered-by'), label).toBeNull()
  expect(h.get('permissions-policy'), label).toMatch(/camera=\(\).*geolocation=\(\)/)
  // Every script the page carries is allowed by this response's nonce and nothing else.
  const nonce = nonces[0].slice("'nonce-".length, -1)
  const tags = html.match(/<script\b[^>]*>/g) ?? []
  expect(tags.length, label).toBeGreaterThan(0)
  for (const tag of tags) expect(tag, label).toContain(`nonce="${nonce}"`)
  // No third-party requests: every src and href is on this site.
  for (const [, url] of html.matchAll(/\s(?:src|href)="([^"]*)"/g))
    if (/^[a-z]+:/i.test(url)) expect(url, label).toMatch(/^(data:|https:\/\/www\.bbc\.co\.uk\/weather)/)
  return nonce
}

const words = {
  what: 'Zephyrine Blackwood-Ottoline said the slur twice in the Kestrel Road parade room.',
  where: 'Kestrel Road parade room',
  who: 'Acting Sergeant Zephyrine Blackwood-Ottoline',
  contact: 'marmalade.heron@example.org',
  followJs: 'Quixotic follow-up about the Wednesday handover.',
  followNoJs: 'Porcupine follow-up about the locker room.',
  jsReport: 'Vermilion report sealed in the browser about the night turn.',
  tooLong: 'Hyacinthine',
}
const sensitive = ['Zephyrine', 'Blackwood', 'Kestrel', 'marmalade', 'Quixotic', 'Porcupine', 'Vermilion', 'Hyacinthine']
const receipts: string[] = []

describe('security headers', () => {
  it('GET /, /report and /check: CSP with a fresh nonce, no-referrer, no-store, nosniff, no cookie', async () => {
    const seen = new Set<string>()
    for (const path of ['/', '/report', '/check', '/no-such-page']) {
      for (let i = 0; i < 2; i++) {
        const res = await fetch(`${server.url}${path}`)
        seen.add(expectSafePage(res, await res.text(), `GET ${path}`))
      }
    }
    expect(seen.size).toBe(8) // a new nonce for every response
  })

  it('HEAD requests and pages after form posts carry the same headers', async () => {
    const head = await fetch(`${server.url}/report`, { method: 'HEAD' })
    expect(head.headers.get('cache-control')).toBe('no-store')
    expect(head.headers.get('content-security-policy')).toMatch(/'nonce-/)
    const review = await postForm(`${server.url}/report`, [
      ['intent', 'review'],
      ['inboxId', inbox.id],
      ['categories', 'racism'],
      ['whatHappened', words.what],
    ])
    expectSafePage(review, review.html, 'POST /report review')
    const sent = await postForm(`${server.url}/report`, [
      ['intent', 'send'],
      ['inboxId', inbox.id],
      ['categories', 'racism'],
      ['categories', 'bullying'],
      ['whatHappened', words.what],
      ['where', words.where],
      ['who', words.who],
      ['contact', words.contact],
    ])
    expectSafePage(sent, sent.html, 'POST /report send')
    receipts.push(receiptFromPage(sent.html))
    const opened = await postForm(`${server.url}/check`, { intent: 'open', receipt: receipts[0] })
    expectSafePage(opened, opened.html, 'POST /check open')
    const followed = await postForm(`${server.url}/check`, { intent: 'followup', receipt: receipts[0], message: words.followNoJs })
    expectSafePage(followed, followed.html, 'POST /check followup')
    expect(followed.html).toContain(words.followNoJs)
    const typo = await postForm(`${server.url}/check`, { intent: 'open', receipt: receipts[0].replace(/^./, (c) => (c === 'A' ? 'B' : 'A')) })
    expectSafePage(typo, typo.html, 'POST /check typo')
  })

  it('API answers are JSON, never cached, never set a cookie', async () => {
    for (const res of [
      await json(`${server.url}/api/reports`),
      await json(`${server.url}/api/reports`, { raw: '{' }),
      await json(`${server.url}/api/reporter/thread`),
    ]) {
      expect(res.status).toBeLessThan(500)
      expect(res.headers.get('content-type')).toMatch(/^application\/json/)
      expect(res.headers.get('cache-control')).toBe('no-store')
      expect(res.headers.get('x-content-type-options')).toBe('nosniff')
      expect(res.headers.get('set-cookie')).toBeNull()
      expect(res.headers.get('x-powered-by')).toBeNull()
    }
  })
})

describe('quick exit', () => {
  it('/exit clears the site data and sends the browser to the neutral site', async () => {
    const res = await fetch(`${server.url}/exit`, { redirect: 'manual' })
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('https://www.bbc.co.uk/weather')
    expect(res.headers.get('clear-site-data')).toBe('"cache", "cookies", "storage"')
    expect(res.headers.get('referrer-policy')).toBe('no-referrer')
  })
})

describe('nothing a reporter wrote reaches the logs or the disk', () => {
  it('a whole run: JS report, JS login and follow-up, no-JS report and follow-up, refusals', async () => {
    const { receipt, body } = await sealedSubmission(inbox.id, keys, {
      categories: ['sexism'],
      whatHappened: words.jsReport,
      when: '',
      where: words.where,
      who: words.who,
      role: 'witness',
      contact: words.contact,
    })
    receipts.push(formatReceipt(receipt))
    expect((await json(`${server.url}/api/reports`, { body })).status).toBe(201)
    expect((await json(`${server.url}/api/reports`, { body })).status).toBe(409)

    const rk = deriveReporterKeys(receipt)
    const token = await reporterToken(server.url, receipt)
    const thread = (await json(`${server.url}/api/reporter/thread`, { token })).body
    const view = openThreadAsReporter(thread, rk)
    const envelope = sealFollowup(words.followJs, rk, view.sealTo!.boxPk, [], view.chain.next)
    expect((await json(`${server.url}/api/reporter/messages`, { body: { keyVersion: 1, envelope }, token })).status).toBe(201)

    // Refusals that echo nothing: over-long text, a bad inbox, a wrong confirmation, bad JSON.
    const tooLong = await postForm(`${server.url}/report`, [
      ['intent', 'send'],
      ['inboxId', inbox.id],
      ['categories', 'racism'],
      ['whatHappened', `${words.tooLong} ${'x'.repeat(20_001)}`],
    ])
    expect(tooLong.html).toContain('must be 20,000 characters or fewer')
    const noInbox = await postForm(`${server.url}/report`, [
      ['intent', 'send'],
      ['inboxId', 'NoSuchInbox12345'],
      ['categories', 'racism'],
      ['whatHappened', words.what],
    ])
    expect(noInbox.status).toBeLessThan(500)
    const confirm = await postForm(`${server.url}/report`, { intent: 'confirm', receipt: receipts[0], lastGroup: 'ZZZZ-Z' })
    expect(confirm.html).toContain('does not match')
    await json(`${server.url}/api/reports`, { raw: `{"whatHappened": "${words.what}"` })
    await json(`${server.url}/api/reports`, { body: { ...body, locator: words.what } })
    await json(`${server.url}/api/reporter/messages`, { body: { keyVersion: 1, text: words.followJs }, token })
    await postForm(`${server.url}/check`, { intent: 'nonsense', receipt: receipts[0], message: words.followNoJs })
    await fetch(`${server.url}/${encodeURIComponent(words.what)}`)
  })

  it('the server output holds none of the words and no receipt', () => {
    const out = server.output()
    expect(out).toMatch(/"msg":"listening"/)
    expect(receipts).toHaveLength(2)
    for (const w of sensitive) expect(out, w).not.toContain(w)
    for (const r of receipts) {
      expect(out).not.toContain(r)
      expect(out).not.toContain(r.replace(/-/g, ''))
    }
    expect(out).not.toMatch(/127\.0\.0\.1|::1|undici|node-fetch/)
  })

  it('the database files hold none of the words and no receipt', () => {
    const disk = diskBytes(server.dataDir)
    expect(disk.length).toBeGreaterThan(0)
    for (const w of sensitive) expect(disk, w).not.toContain(w)
    for (const r of receipts) {
      expect(disk).not.toContain(r)
      expect(disk).not.toContain(r.replace(/-/g, ''))
    }
  })
})
