/**
 * One 100 MiB evidence upload from a phone-sized Chromium with JavaScript: the real file picker
 * encrypts it in 64 KiB secretstream chunks and sends 1 MiB pieces, four in flight. Prints the server's peak RSS
 * growth while it arrives, the page's end-to-end rate (encrypt + upload to localhost), and raw
 * secretstream speed in the same browser with the page's own crypto module, and their ratio.
 * Run with `npm run bench:upload` after `npm run build` (or `remix build`).
 */
import crypto from 'node:crypto'
import fs from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import type { Page, Request } from 'playwright-core'
import { launchChromium, phoneContext } from '../support/browser'
import { createInbox, startServer, tempDataDir } from '../support/server'
import { fmt, machine, serverRssMiB } from './lib'
import { FILE_LIMITS } from '#common/limits'

const MIB = 1024 * 1024
const SIZE_MIB = Number(process.env.UPLOAD_MIB ?? 100)
const ROUNDS = Number(process.env.UPLOAD_ROUNDS ?? 3)

/** Raw secretstream in the page: the same module the picker uses, no upload, no UI. */
const RAW = `async ({ cryptoUrl, mib }) => {
  const c = await import(cryptoUrl)
  await c.ready()
  const chunk = new Uint8Array(65536)
  crypto.getRandomValues(chunk)
  const n = (mib * 1024 * 1024) / 65536
  const t0 = performance.now()
  const enc = c.fileEncryptor()
  let out = 0
  for (let i = 0; i < n; i++) out += enc.push(chunk, i === n - 1).length
  return { ms: performance.now() - t0, out }
}`

// Like tests/e2e/helpers.ts, which a script cannot import (it loads vitest).
const hydrated = `() => {
  const key = Object.keys(document).find((k) => k.startsWith('__reactContainer$'))
  const current = key ? document[key].stateNode?.current : undefined
  return !!current?.child && current.memoizedState?.isDehydrated === false
}`

/** Sending pieces alone, one at a time, from the same page (to an id that does not exist: read, then 404). */
const SEND_ONLY = `async ({ pieces, bytes }) => {
  const piece = new Uint8Array(bytes)
  const t0 = performance.now()
  for (let i = 0; i < pieces; i++) {
    const res = await fetch('/api/files/AAAAAAAAAAAAAAAAAAAAAA?offset=0', { method: 'POST', headers: { 'content-type': 'application/octet-stream', authorization: 'Bearer x' }, body: piece, credentials: 'omit', cache: 'no-store' })
    await res.json()
  }
  return (performance.now() - t0) / pieces
}`

/**
 * The baseline: a bare node:http server in this process that reads each POST body and drops it
 * (no Express, no Remix, no disk), and serves a blank page with a file input, so the same
 * browser context can send the same file's bytes from a page of its own origin.
 */
function bareServer(): Promise<{ url: string; received: () => number; close: () => Promise<void> }> {
  let received = 0
  const server = http.createServer((req, res) => {
    if (req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      return res.end('<!doctype html><meta name="viewport" content="width=device-width"><input type="file">')
    }
    req.on('data', (c: Buffer) => (received += c.length))
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ received }))
    })
  })
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const a = server.address()
      resolve({
        url: `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`,
        received: () => received,
        close: () => new Promise((done) => server.close(() => done())),
      })
    }),
  )
}

/**
 * The same bytes sent as the page sends them: pieces of the same size as Uint8Arrays, as many in
 * flight, to the bare server. The automation protocol copies every such body into its events,
 * which costs the page and this alike; only what Candour adds differs.
 */
const BARE_PIECES = `async ({ piece, inFlight }) => {
  const bytes = new Uint8Array(await document.querySelector('input').files[0].arrayBuffer())
  const t0 = performance.now()
  let next = 0
  const worker = async () => {
    for (let at; (at = next) < bytes.length; ) {
      next += piece
      const res = await fetch('/upload?offset=' + at, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: bytes.slice(at, at + piece), cache: 'no-store' })
      await res.json()
    }
  }
  await Promise.all(Array.from({ length: inFlight }, worker))
  return performance.now() - t0
}`

/**
 * The picked file's bytes, read into memory as the portal does, then sent in one POST. As a Blob:
 * a body of bytes this large would be copied into the automation protocol's events, a Blob is not.
 */
const BARE_ONE = `async () => {
  const bytes = new Uint8Array(await document.querySelector('input').files[0].arrayBuffer())
  const t0 = performance.now()
  const res = await fetch('/upload', { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: new Blob([bytes]), cache: 'no-store' })
  await res.json()
  return performance.now() - t0
}`

/** One pick → "Done" on a fresh /report page: its time, when each phase showed, when pieces went. */
async function pageUpload(page: Page) {
  page.setDefaultTimeout(10 * 60_000)
  await page.goto(`${server.url}/report`)
  await page.waitForFunction(hydrated)
  // When the row first shows each phase: preparing (reading, metadata check), encrypting, uploading.
  const firstSeen = new Map<string, number>()
  const t0 = performance.now()
  const watch = setInterval(() => {
    void page
      .locator('[data-state]')
      .getAttribute('data-state', { timeout: 100 })
      .then((state) => state && !firstSeen.has(state) && firstSeen.set(state, performance.now() - t0))
      .catch(() => undefined)
  }, 20)
  // When the pieces went: the first one sent, the last one answered (seen from the browser).
  let firstPiece = 0
  let lastPiece = 0
  let pieces = 0
  const isPiece = (r: Request) => /\/api\/files\/[^/?]+\?offset=/.test(r.url())
  const sent = (r: Request) => isPiece(r) && (firstPiece ||= performance.now() - t0)
  const answered = (r: Request) => isPiece(r) && ((lastPiece = performance.now() - t0), pieces++)
  page.on('request', sent)
  page.on('requestfinished', answered)
  await page.locator('input[type=file]').setInputFiles(file)
  await page.locator('[data-state="done"]').waitFor()
  const uploadMs = performance.now() - t0
  clearInterval(watch)
  page.off('request', sent)
  page.off('requestfinished', answered)
  return { uploadMs, firstSeen, firstPiece, lastPiece, pieces }
}

const dataDir = tempDataDir('candour-bench-upload-')
createInbox(dataDir)
const file = path.join(os.tmpdir(), `candour-bench-${SIZE_MIB}MiB.bin`)
const fd = fs.openSync(file, 'w')
for (let i = 0; i < SIZE_MIB; i++) fs.writeSync(fd, crypto.randomBytes(MIB))
fs.closeSync(fd)

const server = await startServer({ dataDir })
const bare = await bareServer()
const browser = await launchChromium()
try {
  const context = await phoneContext(browser)
  // The bare upload, from a phone-sized page in the same browser context.
  const barePage = await context.newPage()
  await barePage.goto(bare.url)
  await barePage.locator('input[type=file]').setInputFiles(file)
  const rssBefore = serverRssMiB(dataDir)
  let rssPeak = rssBefore
  const poll = setInterval(() => (rssPeak = Math.max(rssPeak, serverRssMiB(dataDir))), 50)
  // The machine is shared, so the two are run in turns and each side's best round is kept.
  type Run = Awaited<ReturnType<typeof pageUpload>>
  let best: Run | undefined
  let page!: Page
  const bareRuns: number[] = []
  const barePieceRuns: number[] = []
  const pieceArgs = JSON.stringify({ piece: FILE_LIMITS.uploadRequestBytes, inFlight: FILE_LIMITS.uploadPiecesInFlight })
  const rounds: string[] = []
  for (let i = 0; i < ROUNDS; i++) {
    bareRuns.push((await barePage.evaluate(`(${BARE_ONE})()`)) as number)
    barePieceRuns.push((await barePage.evaluate(`(${BARE_PIECES})(${pieceArgs})`)) as number)
    if (page) await page.close()
    page = await context.newPage()
    const run = await pageUpload(page)
    const r = (ms: number) => fmt(SIZE_MIB / (ms / 1000))
    rounds.push(`${r(bareRuns[i])} / ${r(barePieceRuns[i])} / ${r(run.uploadMs)}`)
    if (!best || run.uploadMs < best.uploadMs) best = run
  }
  clearInterval(poll)
  rssPeak = Math.max(rssPeak, serverRssMiB(dataDir))
  await barePage.close()
  const bareMs = Math.min(...bareRuns)
  const barePiecesMs = Math.min(...barePieceRuns)
  const { uploadMs, firstSeen, firstPiece, lastPiece, pieces } = best!

  const cryptoUrl = await page.evaluate(() =>
    performance
      .getEntriesByType('resource')
      .map((e) => e.name)
      .find((n) => /\/build\/_shared\/crypto-[A-Z0-9]+\.js$/.test(n)),
  )
  if (!cryptoUrl) throw new Error('the crypto module was not among the page’s loaded scripts')
  const raws: number[] = []
  for (let i = 0; i < 3; i++) raws.push(((await page.evaluate(`(${RAW})(${JSON.stringify({ cryptoUrl, mib: SIZE_MIB })})`)) as { ms: number }).ms)
  const rawMs = Math.min(...raws)
  const sendMs = (await page.evaluate(`(${SEND_ONLY})({ pieces: 20, bytes: ${FILE_LIMITS.uploadRequestBytes} })`)) as number
  const stored = fs.readdirSync(path.join(dataDir, 'blobs')).map((f) => fs.statSync(path.join(dataDir, 'blobs', f)).size)

  const rate = (ms: number) => SIZE_MIB / (ms / 1000)
  console.log(`# bench:upload (${machine()})`)
  console.log(`file: ${SIZE_MIB} MiB of random bytes; stored as ${stored.map((b) => fmt(b / MIB, 1)).join(', ')} MiB (padded)`)
  console.log(
    `bare node:http upload of the same file from a page of the same context (one POST, best of ${ROUNDS}): ${fmt(bareMs / 1000, 2)} s = ${fmt(rate(bareMs))} MiB/s`,
  )
  console.log(
    `page, pick → "Done" (strip check, encrypt, upload in ${fmt(FILE_LIMITS.uploadRequestBytes / MIB, 1)} MiB pieces, ${FILE_LIMITS.uploadPiecesInFlight} in flight, best of ${ROUNDS}): ${fmt(uploadMs / 1000, 2)} s = ${fmt(rate(uploadMs))} MiB/s`,
  )
  console.log(
    `bare node:http upload of the same bytes sent as the page sends them (${FILE_LIMITS.uploadPiecesInFlight} pieces in flight, best of ${ROUNDS}): ${fmt(barePiecesMs / 1000, 2)} s = ${fmt(rate(barePiecesMs))} MiB/s`,
  )
  console.log(`rounds, bare one POST / bare pieces / page MiB/s: ${rounds.join(', ')}`)
  const phases = [...firstSeen].map(([state, ms]) => `${state} at ${fmt(ms / 1000, 2)} s`).join(', ')
  console.log(`phases first seen: ${phases}`)
  const uploadingFrom = firstSeen.get('uploading') ?? firstSeen.get('encrypting') ?? 0
  console.log(`of which encrypt + upload in pieces: ${fmt((uploadMs - uploadingFrom) / 1000, 2)} s = ${fmt(rate(uploadMs - uploadingFrom))} MiB/s`)
  const piecesMs = lastPiece - firstPiece
  console.log(
    `pieces: ${pieces} requests, first sent at ${fmt(firstPiece / 1000, 2)} s, last answered at ${fmt(lastPiece / 1000, 2)} s: ${fmt(piecesMs / 1000, 2)} s = ${fmt(rate(piecesMs))} MiB/s`,
  )
  console.log(`raw secretstream in the same page (best of 3): ${fmt(rawMs / 1000, 2)} s = ${fmt(rate(rawMs))} MiB/s`)
  console.log(
    `sending one piece at a time alone from the same page (no encryption, no disk): ${fmt(sendMs, 1)} ms each = ${fmt(FILE_LIMITS.uploadRequestBytes / MIB / (sendMs / 1000))} MiB/s`,
  )
  console.log(
    `ratio page / bare node:http in pieces: ${fmt(rate(uploadMs) / rate(barePiecesMs), 2)}x; page / bare one POST: ${fmt(rate(uploadMs) / rate(bareMs), 2)}x; pieces / bare in pieces: ${fmt(rate(piecesMs) / rate(barePiecesMs), 2)}x`,
  )
  console.log(
    `ratio page / raw secretstream: ${fmt(rate(uploadMs) / rate(rawMs), 2)}x; encrypt + upload / sending alone: ${fmt(rate(uploadMs - uploadingFrom) / (FILE_LIMITS.uploadRequestBytes / MIB / (sendMs / 1000)), 2)}x`,
  )
  console.log(`server RSS: ${fmt(rssBefore)} MiB before, peak ${fmt(rssPeak)} MiB, growth ${fmt(rssPeak - rssBefore)} MiB`)
} finally {
  await browser.close()
  await bare.close()
  await server.stop()
  fs.rmSync(dataDir, { recursive: true, force: true })
  fs.rmSync(file, { force: true })
}
