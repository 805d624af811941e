/**
 * Page weight: gzip bytes of JavaScript and CSS each reporter page makes Chromium load, at first
 * view (before and after hydration) and after sealing or opening a report (libsodium arrives
 * only then). Run with `npm run bench:weight` after `npm run build`.
 */
import zlib from 'node:zlib'
import type { Page, Response } from 'playwright-core'
import { launchChromium, phoneContext } from '../support/browser'
import { createInbox, startServer, tempDataDir } from '../support/server'

type Tally = { js: number; css: number; files: number }

function watch(page: Page) {
  const seen = new Map<string, { kind: 'js' | 'css'; gz: number }>()
  const pending: Promise<void>[] = []
  page.on('response', (res: Response) => {
    const kind = res.url().endsWith('.js') ? 'js' : res.url().endsWith('.css') ? 'css' : null
    if (!kind || seen.has(res.url())) return
    pending.push(
      res.body().then((b) => {
        seen.set(res.url(), { kind, gz: zlib.gzipSync(b).length })
      }),
    )
  })
  return async (): Promise<Tally> => {
    await Promise.all(pending)
    const t: Tally = { js: 0, css: 0, files: seen.size }
    for (const v of seen.values()) t[v.kind] += v.gz
    return t
  }
}

const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`
const row = (name: string, t: Tally) => `| ${name} | ${kib(t.js)} | ${kib(t.css)} | ${t.files} |`

const dataDir = tempDataDir('candour-bench-')
createInbox(dataDir)
const server = await startServer({ dataDir })
const browser = await launchChromium()
const rows: string[] = []
try {
  for (const path of ['/', '/report', '/check']) {
    const ctx = await phoneContext(browser)
    const page = await ctx.newPage()
    const tally = watch(page)
    await page.goto(server.url + path, { waitUntil: 'networkidle' })
    rows.push(row(`${path} first view (hydrated)`, await tally()))
    if (path === '/report') {
      await page.getByLabel('Racism').check()
      await page.getByLabel('What happened?').fill('benchmark text')
      await page.getByRole('button', { name: 'Continue to check your answers' }).click()
      await page.getByRole('button', { name: 'Send report' }).click()
      await page.locator('[data-receipt]').waitFor()
      rows.push(row('/report after sealing and sending', await tally()))
    }
    await ctx.close()
  }
  const noJs = await phoneContext(browser, { javaScriptEnabled: false })
  const page = await noJs.newPage()
  const tally = watch(page)
  await page.goto(server.url + '/report', { waitUntil: 'networkidle' })
  rows.push(row('/report with JavaScript off (before hydration)', await tally()))
  await noJs.close()
} finally {
  await browser.close()
  await server.stop()
}

console.log(`Page weight, gzip (zlib default level), Chromium ${'phone 390×844'}, ${new Date().toISOString().slice(0, 10)}`)
console.log('| page | JavaScript | CSS | files |\n|---|---|---|---|')
console.log(rows.join('\n'))
