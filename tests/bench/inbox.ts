/**
 * Inbox at scale: INBOX_REPORTS (10,000) really sealed reports in one inbox made in the browser.
 * In headless Chromium, the time from a navigation to the rendered inbox, next to the time the
 * same browser needs just to open those sealed boxes, and where the page's time goes; then, in
 * Node, what protocol v2 would add to this listing (tests/bench/inbox-v2.ts).
 * Run with `npm run bench:inbox` after `npm run build`. INBOX_REPORTS / INBOX_RUNS override.
 */
import fs from 'node:fs'
import os from 'node:os'
import type { Page } from 'playwright-core'
import { DESKTOP, launchChromium } from '../support/browser'
import { startServer, tempDataDir } from '../support/server'
import { setUpFirstReviewer, virtualAuthenticator, waitForHydration } from '../e2e/reviewer-helpers'
import { checkOpens, inboxKeyFromRecovery, insertReports, readInbox, sealReports } from './inbox-seed'
import { inboxV2Costs, type ListingFacts } from './inbox-v2'
import { buildId, fmt, median, settledBuild } from './lib'

const N = Number(process.env.INBOX_REPORTS ?? 10_000)
const RUNS = Number(process.env.INBOX_RUNS ?? 5)
const log = (s: string) => console.error(s)

/** One navigation, timed inside the page (ms from the navigation's start). */
type Nav = {
  signal: 'data-inbox-ready' | 'rows'
  count: number
  how: 'link' | 'router'
  ready: number
  frame: number
  list?: { start: number; requestStart: number; responseStart: number; responseEnd: number }
  fetched?: number
  open?: { start: number; duration: number }
}
type OpenOnly = { bytes: number; reports: number; verified: number; fetch: number; parse: number; open: number }

/** A fresh page load, then a passkey touch: keys live in page memory only, so every run unlocks again. */
async function signIn(page: Page, url: string) {
  await page.goto(`${url}/review/sign-in`)
  await waitForHydration(page)
  await page.getByRole('button', { name: 'Sign in with a passkey' }).click()
  await page
    .getByText('unlocked in this browser tab')
    .waitFor()
    .catch(async (err) => {
      throw new Error(`sign-in did not unlock the keys; the page shows: ${(await page.locator('main').innerText()).slice(0, 300)}`, { cause: err })
    })
}

/**
 * A client-side navigation (as a click on the inbox link is: a full load would lock the keys) to
 * `path`, from a mark just before the click to the moment the page says it is ready: the list's
 * `data-inbox-ready` attribute, or, on a page without it, all `expected` rows in the DOM. "frame"
 * is the first task after the next animation frame: style, layout and paint of what was rendered.
 * In-page code is a string: tsx would wrap named inner functions in a helper the page lacks.
 */
const NAVIGATE = `async ({ path, expected }) => {
  performance.clearResourceTimings(); performance.clearMarks(); performance.clearMeasures()
  let how = ''
  const result = await new Promise((resolve, reject) => {
    let start = 0
    const check = () => {
      const el = document.querySelector('[data-inbox-ready]')
      const rows = document.querySelectorAll('[data-report]').length
      const problem = document.querySelector('main [role=alert]') || (document.querySelector('main')?.textContent || '').includes('Your keys are locked')
      if (problem) return { problem: document.querySelector('main').innerText.slice(0, 300) }
      if (el) return { signal: 'data-inbox-ready', count: Number(el.getAttribute('data-count')) }
      if (rows >= expected) return { signal: 'rows', count: rows }
      return null
    }
    const observer = new MutationObserver(() => {
      const r = check()
      if (!r) return
      const ready = performance.now() - start
      observer.disconnect()
      clearTimeout(timer)
      if (r.problem) return reject(new Error('page shows: ' + r.problem))
      requestAnimationFrame(() => setTimeout(() => resolve({ ...r, ready, frame: performance.now() - start }), 0))
    })
    const timer = setTimeout(() => { observer.disconnect(); reject(new Error('not ready after 300 s')) }, 300000)
    observer.observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-inbox-ready'] })
    const link = document.querySelector('a[href="' + path + '"]')
    performance.mark('bench:navigate')
    start = performance.now()
    if (link) { how = 'link'; link.click() } else { how = 'router'; window.__remixRouter.navigate(path) }
  })
  const nav = performance.getEntriesByName('bench:navigate')[0].startTime
  const list = performance.getEntriesByType('resource').find((e) => e.name.includes('/api/review/triage/list'))
  const fetched = performance.getEntriesByName('candour:reports-fetched')[0]
  const open = performance.getEntriesByName('candour:open-boxes')[0]
  return {
    ...result,
    how,
    list: list && { start: list.startTime - nav, requestStart: list.requestStart - nav, responseStart: list.responseStart - nav, responseEnd: list.responseEnd - nav },
    fetched: fetched && fetched.startTime - nav,
    open: open && { start: open.startTime - nav, duration: open.duration },
  }
}`

/**
 * Opening only: the page's own crypto module (same URL, so the same instance and the same warm
 * libsodium build), the same list API with the session cookie, the reviewer's inbox key; timed
 * around fetch, JSON.parse and the loop of openings separately.
 */
const OPEN_ONLY = `async ({ cryptoUrl, inboxId, key }) => {
  const c = await import(cryptoUrl)
  await c.ready()
  const inbox = { publicKey: c.fromB64(key.publicKey), privateKey: c.fromB64(key.privateKey) }
  const t0 = performance.now()
  const res = await fetch('/api/review/triage/list', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ inboxId }), credentials: 'same-origin', cache: 'no-store' })
  const buf = await res.arrayBuffer()
  const t1 = performance.now()
  const listing = JSON.parse(new TextDecoder().decode(buf))
  const t2 = performance.now()
  let verified = 0
  for (const r of listing.reports) {
    const opened = c.openReport(r.envelope, { as: 'inbox', inbox })
    if (opened.verified && Array.isArray(opened.answers.categories)) verified++
  }
  const t3 = performance.now()
  return { bytes: buf.byteLength, reports: listing.reports.length, verified, fetch: t1 - t0, parse: t2 - t1, open: t3 - t2 }
}`

const call = <T>(page: Page, src: string, arg: unknown) => page.evaluate(`(${src})(${JSON.stringify(arg)})`) as Promise<T>

const dataDir = tempDataDir('candour-bench-inbox-')
let built = await settledBuild()
let server = await startServer({ dataDir })
const browser = await launchChromium()
const chromium = browser.version()
const loadBefore = os.loadavg()
const navs = new Map<string, Nav[]>()
const openOnly: OpenOnly[] = []
const seeding = { seal: 0, insert: 0, messages: 0 }
let restarts = 0
let listing: Omit<ListingFacts, 'listBytes' | 'pageOpenUs'> | undefined

/**
 * Others rebuild in this checkout while the bench runs; the server then names assets that are
 * gone. A step that fails after the build changed runs again on a restarted server (same data,
 * same passkey); any other failure is real and stops the bench.
 */
async function retried<T>(fn: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      return await fn()
    } catch (err) {
      if (buildId() === built || restarts >= 3) throw err
      log(`the build changed under the server (${(err as Error).message.split('\n')[0]}); restarting it and running the step again`)
      restarts++
      await server.stop()
      built = await settledBuild()
      server = await startServer({ dataDir })
    }
  }
}

try {
  const context = await browser.newContext({ viewport: DESKTOP })
  context.setDefaultTimeout(60_000)
  const page = await context.newPage()
  await virtualAuthenticator(context, page, true)
  // First-reviewer setup and the first inbox, made in this browser as the e2e tests do.
  const { recoveryCode: recovery } = await setUpFirstReviewer(page, server, { name: 'Dana Reviewer', inbox: 'Professional Standards' })

  const inbox = await readInbox(server.dbFile)
  const inboxId = inbox.inboxId
  const key = await inboxKeyFromRecovery(server.dbFile, inbox, recovery)
  log(`sealing ${N} reports…`)
  let t = performance.now()
  const sealed = await sealReports(inbox, N)
  seeding.seal = performance.now() - t
  checkOpens(sealed[0], key)
  t = performance.now()
  seeding.messages = await insertReports(server.dbFile, sealed)
  seeding.insert = performance.now() - t
  log(`sealed in ${fmt(seeding.seal / 1000)} s, inserted in ${fmt(seeding.insert / 1000)} s`)
  const envelopes = sealed.slice(0, 300).map((s) => JSON.parse(s.row[3] as string))
  listing = { envelopes, key, reports: N, followups: seeding.messages }

  const paths = [`/review/inbox/${inboxId}`]
  // /review/reports (all inboxes) is measured once it exists.
  const allReports = await retried(async () => (await signIn(page, server.url), (await page.request.get(`${server.url}/review/reports`)).status()))
  if (allReports !== 404) paths.push('/review/reports')
  for (let run = 1; run <= RUNS; run++) {
    for (const p of paths) {
      await retried(async () => {
        await signIn(page, server.url)
        const cryptoUrl = await page.evaluate(() =>
          performance
            .getEntriesByType('resource')
            .map((e) => e.name)
            .find((n) => /\/build\/_shared\/crypto-[A-Z0-9]+\.js$/.test(n)),
        )
        const nav = await call<Nav>(page, NAVIGATE, { path: p, expected: N })
        if (p !== paths[0]) return void navs.set(p, [...(navs.get(p) ?? []), nav])
        if (!cryptoUrl) throw new Error('the crypto module was not among the page’s loaded scripts')
        const o = await call<OpenOnly>(page, OPEN_ONLY, { cryptoUrl, inboxId, key })
        if (o.verified !== N) throw new Error(`opened and verified ${o.verified} of ${N}`)
        navs.set(p, [...(navs.get(p) ?? []), nav])
        openOnly.push(o)
        log(`run ${run}/${RUNS} open only: ${JSON.stringify(o)}`)
      })
      log(`run ${run}/${RUNS} ${p}: ${JSON.stringify(navs.get(p)!.at(-1))}`)
    }
  }
} finally {
  await browser.close()
  await server.stop()
  fs.rmSync(dataDir, { recursive: true, force: true })
}

const stat = (xs: Array<number | undefined>) => {
  const v = xs.filter((x): x is number => typeof x === 'number')
  return v.length ? `${fmt(median(v), 0)} | ${fmt(Math.min(...v), 0)}` : 'n/a | n/a'
}
const openMed = median(openOnly.map((o) => o.open))
const bytes = median(openOnly.map((o) => o.bytes))
const mib = (b: number) => `${(b / 2 ** 20).toFixed(1)} MiB`
const pct = (part: number, whole: number) => `${fmt((100 * part) / whole, 0)} %`
/** Where the median run's time went, largest first: what to look at if the page is too slow. */
function shares(ns: Nav[]) {
  const ready = median(ns.map((n) => n.ready))
  const m = (f: (n: Nav) => number) => median(ns.map(f))
  const parts: Array<[string, number]> = [
    ['opening the boxes', m((n) => n.open!.duration)],
    ['the server building the list answer', m((n) => n.list!.responseStart - n.list!.requestStart)],
    ['transfer and JSON parse', m((n) => n.fetched! - n.list!.responseStart)],
    ['pauses, progress and the final React render', m((n) => n.ready - n.fetched! - n.open!.duration)],
    ['route module and loaders before the list request', m((n) => n.list!.start)],
  ]
  return `Share of the median navigation → rendered: ${parts
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${pct(v, ready)}`)
    .join(', ')}.`
}
const sections: string[] = []
for (const [p, ns] of navs) {
  const label = p.startsWith('/review/inbox/') ? '/review/inbox/&lt;id&gt;' : p
  const marked = ns.every((n) => n.open && n.fetched !== undefined)
  // The page's open-boxes measure is a duration only (the time spent opening, summed over its slices).
  const rest = (n: Nav) => (n.open && n.fetched !== undefined ? n.ready - n.fetched - n.open.duration : undefined)
  sections.push(`#### ${label}: ${ns[0].signal === 'data-inbox-ready' ? `ready when the list carries data-inbox-ready (data-count ${ns[0].count})` : `ready when all ${ns[0].count} rows are in the DOM (the page has no data-inbox-ready yet)`}

| step, from the navigation (${ns[0].how === 'link' ? `a click on its link on /review` : 'a client-side router navigation'}) | median ms | min ms |
|---|---|---|
| **navigation → rendered** | **${stat(ns.map((n) => n.ready))}** |
| navigation → first frame after it (style, layout, paint) | ${stat(ns.map((n) => n.frame))} |
| navigation → list request sent (route module, loaders) | ${stat(ns.map((n) => n.list?.start))} |
| list API: request → first byte (server builds the answer) | ${stat(ns.map((n) => n.list && n.list.responseStart - n.list.requestStart))} |
| list API: first byte → last byte (${mib(bytes)} over loopback) | ${stat(ns.map((n) => n.list && n.list.responseEnd - n.list.responseStart))} |
| last byte → \`candour:reports-fetched\` (JSON parse) | ${stat(ns.map((n) => (n.fetched !== undefined && n.list ? n.fetched - n.list.responseEnd : undefined)))} |
| \`candour:open-boxes\` (the page's opening loop: openReport and each row's search text; pauses left out) | ${stat(ns.map((n) => n.open?.duration))} |
| ${marked ? 'reports-fetched → rendered, less open-boxes (pauses between slices, progress updates, React render of the list)' : 'last byte → rendered (JSON parse, opening and React render together: the page has no marks yet)'} | ${stat(ns.map((n) => (marked ? rest(n) : n.list && n.ready - n.list.responseEnd)))} |
| rendered → first frame | ${stat(ns.map((n) => n.frame - n.ready))} |

Ratio navigation → rendered / open only (median of per-run ratios, each against the same run's open only): **${fmt(median(ns.map((n, i) => n.ready / openOnly[i].open)), 2)}×**${
    marked ? `; / the page's own open-boxes measure in the same run: **${fmt(median(ns.map((n) => n.ready / n.open!.duration)), 2)}×**` : ''
  }.
${marked ? shares(ns) : ''}`)
}

console.log(`### Inbox (bench:inbox): ${N.toLocaleString('en-GB')} sealed reports in one inbox, headless Chromium ${chromium}, desktop ${DESKTOP.width}×${DESKTOP.height}, ${RUNS} runs

Seeding: ${N.toLocaleString('en-GB')} reports sealed in Node with \`sealReport\` (text 200 B–4 KiB, 1–3 categories, received over
the last 120 days, statuses spread by age) and ${seeding.messages} follow-ups sealed on about one in ten,
in ${fmt(seeding.seal / 1000)} s; inserted into the running server's database in ${fmt(seeding.insert / 1000)} s
(transactions of 2,500 rows through a second \`Store\`). The list API's answer is ${bytes.toLocaleString('en-GB')} bytes of JSON (${mib(bytes)}).

Each run is a fresh page load and passkey sign-in (keys live in page memory only), then a
client-side navigation to the page, timed inside the page with \`performance.now()\`.

| figure | median ms | min ms |
|---|---|---|
| **open only: the same page opens and verifies the ${N.toLocaleString('en-GB')} sealed boxes** (app's crypto module, inbox key; ${fmt((openMed / N) * 1000, 0)} µs each) | **${stat(openOnly.map((o) => o.open))}** |
| open only, with its own fetch of the list API (request → last byte) | ${stat(openOnly.map((o) => o.fetch))} |
| open only, with its own JSON.parse of the answer | ${stat(openOnly.map((o) => o.parse))} |

${sections.join('\n\n')}

"Open only" runs in the same page after it rendered: the page's own crypto module (imported by
its URL, so the same instance and the same warm libsodium build), a same-origin fetch of
\`POST /api/review/triage/list\` with the session cookie, and \`openReport\` with the inbox key
(recovered from the setup's recovery key the way the page unlocks it from the passkey), timed
around the loop of openings alone. 1-minute load average ${fmt(loadBefore[0])} at the start, ${fmt(os.loadavg()[0])} at the end${
  restarts ? `; the server was restarted ${restarts}× because another \`remix build\` replaced the assets under it, and the step that failed ran again` : ''
}.

${inboxV2Costs({ ...listing!, listBytes: bytes, pageOpenUs: (openMed / N) * 1000 })}`)
