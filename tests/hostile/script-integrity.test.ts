import fs from 'node:fs'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fillReport, mainText, REPORT, waitForHydration } from '../e2e/helpers'
import { launchChromium, phoneContext } from '../support/browser'
import { createInbox, tempDataDir } from '../support/server'
import { startAdversary, type Adversary, type Rewrite } from './adversary'

/**
 * The server swaps a script's bytes for one visitor. The page's import map names the hash of
 * every module, so the reporter's browser refuses the swapped file and runs none of it; the page
 * stays the plain HTML form it was before hydration, and a report sent through it is sealed by
 * the server as on the no-JavaScript path, with the words that path shows.
 */
const SWAPPED = 'window.__candourSwapped = true;\n'

/** Prepends code to one built script: the bytes change, the address does not. */
function swapScript(pattern: RegExp): Rewrite {
  return (answer) => {
    if (answer.method !== 'GET' || !pattern.test(answer.url.split('?')[0]!)) return undefined
    return Buffer.concat([Buffer.from(SWAPPED), answer.body])
  }
}

describe('a swapped script does not run (reporter, phone)', () => {
  let adv: Adversary
  let browser: Browser

  beforeAll(async () => {
    const dataDir = tempDataDir('candour-hostile-script-')
    createInbox(dataDir)
    ;[adv, browser] = await Promise.all([startAdversary({ dataDir }), launchChromium()])
  })

  afterAll(async () => {
    await browser?.close()
    await adv?.stop()
    if (adv) fs.rmSync(adv.server.dataDir, { recursive: true, force: true })
  })

  async function visitor(): Promise<{ page: Page; refused: string[] }> {
    const context = await phoneContext(browser)
    context.setDefaultTimeout(10_000)
    const page = await context.newPage()
    const refused: string[] = []
    page.on('console', (m) => {
      if (/integrity/i.test(m.text())) refused.push(m.text())
    })
    return { page, refused }
  }

  it('told the truth, the page hydrates and runs its scripts', async () => {
    adv.lie(undefined)
    const { page, refused } = await visitor()
    await page.goto(`${adv.url}/report`)
    await waitForHydration(page)
    expect(await page.evaluate(() => (window as { __candourSwapped?: boolean }).__candourSwapped)).toBeUndefined()
    expect(refused).toEqual([])
    await page.context().close()
  })

  for (const [what, pattern] of [
    ['the entry script', /^\/build\/entry\.client-[A-Z0-9]+\.js$/],
    ['the report page module', /^\/build\/routes\/_reporter\.report-[A-Z0-9]+\.js$/],
    ['the route manifest', /^\/build\/manifest-[A-Z0-9]+\.js$/],
  ] as const) {
    it(`${what} swapped for one visitor: refused, and the no-JS form still sends the report`, async () => {
      const { page, refused } = await visitor()
      adv.lie(swapScript(pattern))
      try {
        await page.goto(`${adv.url}/report`)
        await page.getByRole('heading', { name: 'Make a report' }).waitFor()
        // Give the refused module time to have run, had it been allowed to.
        await page.waitForLoadState('load')
        await page.waitForTimeout(500)
        expect(await page.evaluate(() => (window as { __candourSwapped?: boolean }).__candourSwapped)).toBeUndefined()
        expect(refused.length, 'Chromium says it refused a file by its integrity').toBeGreaterThan(0)
        // The plain form, posted to the server, as with JavaScript off.
        await fillReport(page)
        await page.getByRole('button', { name: 'Continue to check your answers' }).click()
        await page.getByRole('heading', { name: 'Check your answers' }).waitFor()
        expect(await mainText(page)).toContain(REPORT.whatHappened)
        await page.getByRole('button', { name: 'Send report' }).click()
        await page.getByRole('heading', { name: 'Your report has been sent' }).waitFor()
        const text = await mainText(page)
        expect(text).toContain('JavaScript is off')
        expect(text).toContain('sealed your report in memory')
        expect(await page.locator('[data-receipt]').getAttribute('data-receipt')).toMatch(/^([0-9A-HJKMNP-TV-Z]{4}-){5}/)
      } finally {
        adv.lie(undefined)
        await page.context().close()
      }
    })
  }

  it('a route module loaded later, on a link inside the app, is refused too, and the page is not left broken', async () => {
    const { page, refused } = await visitor()
    try {
      await page.goto(`${adv.url}/report`)
      await waitForHydration(page)
      // Only now does the lie start: the next page's module is fetched when the link is followed.
      adv.lie(swapScript(/^\/build\/routes\/_reporter\.check-[A-Z0-9]+\.js$/))
      await page.getByRole('link', { name: 'Check replies' }).click()
      // Remix, refused the module, reloads the page the reporter was on rather than run anything.
      await page.waitForEvent('load')
      await page.getByRole('heading', { name: 'Make a report' }).waitFor()
      expect(await page.evaluate(() => (window as { __candourSwapped?: boolean }).__candourSwapped)).toBeUndefined()
      expect(refused.some((m) => m.includes('_reporter.check'))).toBe(true)
      // Going to the address itself gives the plain form, whose module is refused the same way.
      await page.goto(`${adv.url}/check`)
      await page.getByRole('heading', { name: 'Check replies' }).waitFor()
      await page.waitForLoadState('load')
      await page.waitForTimeout(500)
      expect(await page.evaluate(() => (window as { __candourSwapped?: boolean }).__candourSwapped)).toBeUndefined()
      expect(await page.getByLabel('Receipt code').isVisible()).toBe(true)
    } finally {
      adv.lie(undefined)
      await page.context().close()
    }
  })

  it('the next visitor, told the truth again, gets the working page', async () => {
    const { page, refused } = await visitor()
    await page.goto(`${adv.url}/report`)
    await waitForHydration(page)
    expect(refused).toEqual([])
    await page.context().close()
  })
})
