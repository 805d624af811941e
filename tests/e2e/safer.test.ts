import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { DESKTOP, phoneContext } from '../support/browser'
import { visibleText } from '../support/http'
import { ROOT, type RunningServer } from '../support/server'
import { serverWithOfflineInbox, stopAll, waitForHydration } from './helpers'

const SCREENS = path.join(ROOT, 'tests/.artifacts/screens')

/** The sections an officer comes to the page for, in order. */
const HEADINGS = [
  'Use your own phone, not a force one',
  'Tor Browser: the most private way',
  'A private window helps, but only a little',
  'Your receipt code',
  'What we record, and what we never record',
  'Leaving in a hurry',
]

/** Layout checks that need no library: one h1, 44 px touch targets on a phone, no sideways scroll. */
async function layoutProblems(page: Page, phone: boolean): Promise<string[]> {
  return page.evaluate((phone) => {
    const out: string[] = []
    const h1s = document.querySelectorAll('h1').length
    if (h1s !== 1) out.push(`${h1s} h1 elements`)
    if (phone)
      for (const el of document.querySelectorAll('.quick-exit, a.button, .footer nav a')) {
        const r = el.getBoundingClientRect()
        if (r.height > 0 && r.height < 44) out.push(`touch target ${Math.round(r.height)}px tall: ${el.textContent?.trim()}`)
      }
    const overflow = document.documentElement.scrollWidth - document.documentElement.clientWidth
    if (overflow > 0) out.push(`page is ${overflow}px wider than the viewport`)
    return out
  }, phone)
}

// "Safer reporting": advice on leaving no trace, complete without JavaScript, reachable
// from the landing page, the report page and every reporter page's footer, with the quick exit.
describe('the safer reporting page', () => {
  let server: RunningServer
  let browser: Browser

  beforeAll(async () => {
    ;({ server, browser } = await serverWithOfflineInbox('candour-e2e-safer-'))
    fs.mkdirSync(SCREENS, { recursive: true })
  })

  afterAll(() => stopAll(server, browser))

  it('is served as plain HTML: 200, the headings, the advice, and the quick exit as a link', async () => {
    const res = await fetch(`${server.url}/safer`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/html/)
    const html = await res.text()
    const text = visibleText(html)
    expect(text).toContain('Safer reporting')
    for (const h of HEADINGS) expect(text).toContain(h)
    // The advice the page must give, in the words an officer will read.
    for (const phrase of [
      'force Wi-Fi',
      'torproject.org',
      'Safest',
      'private window',
      'Write it down',
      'shared or backed up',
      'never to a work account',
      'You lose the thread',
      'Your IP address',
      'The day each one arrived, not the time',
      'pressing Shift three times',
    ])
      expect(text, phrase).toContain(phrase)
    expect(html).toMatch(/<a class="quick-exit" href="\/exit"/)
    expect(html).toContain('<title>Safer reporting · Candour</title>')
  })

  it('is linked from the landing page, the report page and the footer of every reporter page', async () => {
    // Links a reader follows, not the page's own hreflang alternates.
    const linksTo = (html: string) => (html.match(/<a [^>]*href="\/safer"/g) ?? []).length
    const page = async (p: string) => (await fetch(`${server.url}${p}`)).text()
    expect(linksTo(await page('/'))).toBe(2) // the safety section and the footer
    expect(linksTo(await page('/report'))).toBe(2) // the intro and the footer
    expect(linksTo(await page('/check'))).toBe(1) // the footer
    expect(linksTo(await page('/safer'))).toBe(1) // the footer
  })

  for (const [label, javaScriptEnabled] of [
    ['JavaScript off', false],
    ['JavaScript on', true],
  ] as const)
    it(`renders on a phone with ${label}: headings, quick exit, no layout problems; screenshot`, async () => {
      const context = await phoneContext(browser, { javaScriptEnabled })
      const page = await context.newPage()
      const res = await page.goto(`${server.url}/safer`)
      expect(res?.status()).toBe(200)
      if (javaScriptEnabled) await waitForHydration(page)
      await page.getByRole('heading', { level: 1, name: 'Safer reporting' }).waitFor()
      for (const name of HEADINGS) await page.getByRole('heading', { name, exact: true }).waitFor()
      const exit = page.getByRole('link', { name: /Quick exit/ })
      await exit.waitFor()
      expect(await exit.getAttribute('href')).toBe('/exit')
      expect(await layoutProblems(page, true)).toEqual([])
      await page.screenshot({ path: path.join(SCREENS, `phone-safer-${javaScriptEnabled ? 'js' : 'nojs'}.png`), fullPage: true })
      await context.close()
    })

  it('renders on a desktop without JavaScript; screenshot', async () => {
    const context = await browser.newContext({ viewport: DESKTOP, javaScriptEnabled: false, locale: 'en-GB' })
    const page = await context.newPage()
    expect((await page.goto(`${server.url}/safer`))?.status()).toBe(200)
    await page.getByRole('heading', { level: 1, name: 'Safer reporting' }).waitFor()
    expect(await layoutProblems(page, false)).toEqual([])
    await page.screenshot({ path: path.join(SCREENS, 'desktop-safer-nojs.png'), fullPage: true })
    await context.close()
  })

  it('is reached from the landing page by its link, without JavaScript, and leads on to the report', async () => {
    const context = await phoneContext(browser, { javaScriptEnabled: false })
    const page = await context.newPage()
    await page.goto(`${server.url}/`)
    await page.locator('section.callout').screenshot({ path: path.join(SCREENS, 'phone-landing-safety-nojs.png') })
    await page.getByRole('link', { name: 'More on reporting safely' }).click()
    await page.waitForURL(`${server.url}/safer`)
    await page.getByRole('heading', { level: 1, name: 'Safer reporting' }).waitFor()
    await page.getByRole('link', { name: 'Make a report' }).first().click()
    await page.waitForURL(`${server.url}/report`)
    await page.getByRole('link', { name: 'how to report safely' }).waitFor()
    await page.screenshot({ path: path.join(SCREENS, 'phone-report-intro-nojs.png') })
    await context.close()
  })
})
