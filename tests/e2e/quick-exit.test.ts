import fs from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { launchChromium, phoneContext } from '../support/browser'
import { createInbox, startServer, tempDataDir, type RunningServer } from '../support/server'
import { reportCheckAndFollowUp, waitForHydration } from './helpers'

const NEUTRAL = 'https://www.bbc.co.uk/weather'

// Someone comes near: Shift three times or one tap leaves for a neutral site, Back does not return to
// the report, and the browser keeps nothing of the visit.
describe('quick exit and what the browser keeps (phone, JS on)', () => {
  let server: RunningServer
  let browser: Browser
  let context: BrowserContext
  const exits: Array<{ url: string; referer?: string }> = []

  beforeAll(async () => {
    const dataDir = tempDataDir('candour-e2e-exit-')
    createInbox(dataDir)
    ;[server, browser] = await Promise.all([startServer({ dataDir }), launchChromium()])
    context = await phoneContext(browser)
    context.setDefaultTimeout(10_000)
    // The neutral site is stubbed so no real network is used.
    await context.route('https://www.bbc.co.uk/**', (r) => {
      exits.push({ url: r.request().url(), referer: r.request().headers()['referer'] })
      return r.fulfill({ body: '<title>Weather</title>neutral', contentType: 'text/html' })
    })
  })

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
    if (server) fs.rmSync(server.dataDir, { recursive: true, force: true })
  })

  /** Landing, then "Make a report" (a client-side navigation), then some typing. */
  async function startTyping(): Promise<Page> {
    const page = await context.newPage()
    await page.goto(`${server.url}/`)
    await waitForHydration(page)
    await page.getByRole('link', { name: 'Make a report' }).first().click()
    await page.waitForURL(`${server.url}/report`)
    await page.getByLabel('What happened?').fill('the inspector is walking over')
    return page
  }

  async function expectLeftForGood(page: Page) {
    await page.waitForURL(NEUTRAL)
    expect(await page.locator('body').innerText()).toContain('neutral')
    expect(await page.title()).toBe('Weather')
    await page.goBack()
    // The report page was replaced in history: Back lands on the page before it.
    expect(page.url()).toBe(`${server.url}/`)
    expect(page.url()).not.toContain('/report')
    await page.close()
  }

  it('Shift pressed three times, even while typing in a field, leaves for the neutral site and Back skips the report', async () => {
    const page = await startTyping()
    // The hint is in the link once JavaScript runs (a phone shows only the button: it has no Shift key).
    await expect(page.locator('.quick-exit').textContent()).resolves.toBe('Quick exit (or press Shift 3 times)')
    const field = page.getByLabel('What happened?')
    for (let i = 0; i < 3; i++) await field.press('Shift')
    await expectLeftForGood(page)
  })

  it('Esc, capitals typed with Shift and two presses alone keep the page and every word typed', async () => {
    const page = await startTyping()
    const field = page.getByLabel('What happened?')
    await field.press('Escape')
    // Shift+letter is typing: it must not count towards the three presses.
    await field.press('Shift+A')
    await field.press('Shift+B')
    await field.press('Shift')
    await field.press('Shift')
    await page.getByText('press 1 more time to exit').waitFor({ state: 'attached' })
    // A pause longer than the count's five seconds starts it again.
    await page.waitForTimeout(5200)
    await field.press('Shift')
    expect(page.url()).toBe(`${server.url}/report`)
    await expect(field.inputValue()).resolves.toBe('the inspector is walking overAB')
    await page.close()
  })

  it('a page that does not exist has the Quick exit too, and Shift three times works there', async () => {
    const page = await context.newPage()
    await page.goto(`${server.url}/`)
    await page.goto(`${server.url}/no-such-page`)
    await page.getByRole('heading', { name: 'Page not found' }).waitFor()
    await waitForHydration(page)
    await expect(page.title()).resolves.toBe('Page not found · Candour')
    // Only as far as /exit: its redirect to the stubbed site is the same as above (and from this
    // page Chromium sometimes sends the redirected request past the stub).
    const exit = page.waitForRequest(`${server.url}/exit`)
    for (let i = 0; i < 3; i++) await page.keyboard.press('Shift')
    await exit
    await page.close()
  })

  it('the Quick exit link does the same', async () => {
    const page = await startTyping()
    await page.getByRole('link', { name: /Quick exit/ }).click()
    await expectLeftForGood(page)
  })

  it('the neutral site is not told where the visitor came from', () => {
    expect(exits.map((e) => e.url)).toEqual([NEUTRAL, NEUTRAL])
    expect(exits.map((e) => e.referer)).toEqual([undefined, undefined])
  })

  it('without JavaScript the keyboard hint is not offered, since the key would do nothing; the link is there on every page', async () => {
    for (const path of ['/', '/report', '/check', '/safer', '/no-such-page']) {
      const res = await fetch(`${server.url}${path}`)
      const html = await res.text()
      expect(html, path).toMatch(/<a class="quick-exit" href="\/exit"/)
      expect(html, path).not.toContain('press Shift 3 times')
    }
  })

  it('after a whole session (report, check, follow-up) the browser holds no storage or cookies', async () => {
    const page = await context.newPage()
    await reportCheckAndFollowUp(page, server.url)

    const kept = await page.evaluate(async () => ({
      origin: location.origin,
      localStorage: localStorage.length,
      sessionStorage: sessionStorage.length,
      indexedDB: (await indexedDB.databases()).map((d) => d.name),
      caches: 'caches' in self ? await caches.keys() : [],
      serviceWorkers: navigator.serviceWorker ? (await navigator.serviceWorker.getRegistrations()).length : 0,
      cookie: document.cookie,
      windowName: window.name,
    }))
    expect(kept).toEqual({
      origin: new URL(server.url).origin,
      localStorage: 0,
      sessionStorage: 0,
      indexedDB: [],
      caches: [],
      serviceWorkers: 0,
      cookie: '',
      windowName: '',
    })
    expect(await context.cookies()).toEqual([])
    const state = await context.storageState()
    expect(state.cookies).toEqual([])
    expect(state.origins).toEqual([])
    await page.close()
  })
})
