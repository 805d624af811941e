/**
 * Page weight: gzip bytes of the HTML, JavaScript and CSS each reporter page makes Chromium load,
 * at first view (before and after hydration) and after sealing a report (libsodium arrives only
 * then), in English and in Welsh side by side, with Welsh as a share of English (goal: within 5%).
 * Run with `npm run bench:weight` after `npm run build`.
 */
import zlib from 'node:zlib'
import type { Browser, Page, Response } from 'playwright-core'
import { launchChromium, phoneContext } from '../support/browser'
import { createInbox, startServer, tempDataDir } from '../support/server'

type Tally = { html: number; js: number; css: number; files: number }

function watch(page: Page) {
  const seen = new Map<string, { kind: 'html' | 'js' | 'css'; gz: number }>()
  const pending: Promise<void>[] = []
  page.on('response', (res: Response) => {
    const type = res.headers()['content-type'] ?? ''
    const kind = res.url().endsWith('.js') ? 'js' : res.url().endsWith('.css') ? 'css' : type.startsWith('text/html') ? 'html' : null
    if (!kind || seen.has(res.url())) return
    pending.push(
      res.body().then((b) => {
        seen.set(res.url(), { kind, gz: zlib.gzipSync(b).length })
      }),
    )
  })
  return async (): Promise<Tally> => {
    await Promise.all(pending)
    const t: Tally = { html: 0, js: 0, css: 0, files: seen.size }
    for (const v of seen.values()) t[v.kind] += v.gz
    return t
  }
}

const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`
const total = (t: Tally) => t.html + t.js + t.css

/** One reporter journey in one language: the rows it measures, by name. */
async function measure(browser: Browser, url: string, lang: 'en' | 'cy'): Promise<Map<string, Tally>> {
  const q = lang === 'en' ? '' : `?lang=${lang}`
  const out = new Map<string, Tally>()
  for (const path of ['/', '/report', '/check', '/safer']) {
    const ctx = await phoneContext(browser)
    const page = await ctx.newPage()
    const tally = watch(page)
    await page.goto(url + path + q, { waitUntil: 'networkidle' })
    out.set(`${path} first view (hydrated)`, await tally())
    if (path === '/report') {
      // By field and intent, not by label: the same steps in every language.
      await page.locator('input[name="categories"][value="racism"]').check()
      await page.locator('textarea[name="whatHappened"]').fill('benchmark text')
      await page.locator('form button[type="submit"]').first().click()
      await page.locator('button[name="intent"][value="send"]').click()
      await page.locator('[data-receipt]').waitFor()
      out.set('/report after sealing and sending', await tally())
    }
    await ctx.close()
  }
  const noJs = await phoneContext(browser, { javaScriptEnabled: false })
  const page = await noJs.newPage()
  const tally = watch(page)
  await page.goto(url + '/report' + q, { waitUntil: 'networkidle' })
  out.set('/report with JavaScript off', await tally())
  await noJs.close()
  return out
}

const dataDir = tempDataDir('candour-bench-')
createInbox(dataDir)
const server = await startServer({ dataDir })
const browser = await launchChromium()
let en: Map<string, Tally>, cy: Map<string, Tally>
try {
  en = await measure(browser, server.url, 'en')
  cy = await measure(browser, server.url, 'cy')
} finally {
  await browser.close()
  await server.stop()
}

console.log(`Page weight, gzip (zlib default level), Chromium phone 390×844, ${new Date().toISOString().slice(0, 10)}`)
console.log('| page | lang | HTML | JavaScript | CSS | files | total | Welsh ÷ English |\n|---|---|---|---|---|---|---|---|')
let worst = 0
for (const [name, e] of en) {
  const c = cy.get(name)!
  const ratio = total(c) / total(e)
  worst = Math.max(worst, ratio)
  for (const [lang, t] of [
    ['en', e],
    ['cy', c],
  ] as const)
    console.log(
      `| ${name} | ${lang} | ${kib(t.html)} | ${kib(t.js)} | ${kib(t.css)} | ${t.files} | ${kib(total(t))} | ${lang === 'cy' ? `${(ratio * 100).toFixed(1)}%` : ''} |`,
    )
}
console.log(`Heaviest Welsh page against its English: ${(worst * 100).toFixed(1)}% (goal: at most 105%)`)
