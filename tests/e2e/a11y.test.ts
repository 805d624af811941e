import fs from 'node:fs'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DESKTOP, launchChromium, phoneContext } from '../support/browser'
import { startServer, tempDataDir, type RunningServer } from '../support/server'
import { fillReport, waitForHydration } from './helpers'
import { setUpFirstReviewer, virtualAuthenticator } from './reviewer-helpers'
import { axeLightAndDark } from './axe'
import { wordsFor } from '../support/words'

type Setup = { name: string; js: boolean; viewport?: { width: number; height: number }; phone?: boolean; lang?: 'cy' }

/**
 * axe-core over every reporter page and state, with JavaScript on and off, on a phone and a
 * desktop, at 320 px and at 200% zoom (1280 px wide at twice the size is a 640 px viewport), in
 * English and in Welsh: every state in the light theme and the dark one. Any violation fails, and so does anything wider than
 * the screen. The reviewer set up here only makes the inbox; reviewer pages are
 * tests/e2e/a11y-reviewer.test.ts.
 */
describe('accessibility: axe finds nothing on any page, in any state, light or dark', () => {
  let server: RunningServer
  let browser: Browser
  let reviewer: Page

  beforeAll(async () => {
    ;[server, browser] = await Promise.all([startServer({ dataDir: tempDataDir('candour-e2e-a11y-') }), launchChromium()])
    const context = await browser.newContext({ viewport: DESKTOP, locale: 'en-GB' })
    context.setDefaultTimeout(15_000)
    reviewer = await context.newPage()
    await virtualAuthenticator(context, reviewer, true)
    await setUpFirstReviewer(reviewer, server, { name: 'Dana Reviewer', inbox: 'Professional Standards' })
  })
  afterAll(async () => {
    await browser?.close()
    await server?.stop()
    if (server) fs.rmSync(server.dataDir, { recursive: true, force: true })
  })

  function contextFor(s: Setup): Promise<BrowserContext> {
    if (s.phone) return phoneContext(browser, { javaScriptEnabled: s.js })
    return browser.newContext({ viewport: s.viewport ?? DESKTOP, locale: 'en-GB', javaScriptEnabled: s.js })
  }

  /** The reporter's whole journey, stopping at every page and state on the way. */
  async function reporterJourney(s: Setup): Promise<string[]> {
    const context = await contextFor(s)
    context.setDefaultTimeout(15_000)
    const page = await context.newPage()
    const found: string[] = []
    // axe cannot run where the page's scripts are switched off (its timers never fire), so a
    // JS-off state is checked as a copy: the same HTML with its scripts taken out, at the same
    // address (so its styles load), in a twin context whose only script is axe.
    const twin = s.js ? undefined : await contextFor({ ...s, js: true })
    const at = async (state: string) => {
      if (!twin) return found.push(...(await axeLightAndDark(page, `${s.name}, ${state}`)))
      const html = (await page.content()).replace(/<script\b[\s\S]*?<\/script>/g, '').replace(/<link rel="modulepreload"[^>]*>/g, '')
      const copy = await twin.newPage()
      await copy.route(page.url(), (r) => r.fulfill({ body: html, contentType: 'text/html' }))
      await copy.goto(page.url())
      found.push(...(await axeLightAndDark(copy, `${s.name}, ${state}`)))
      await copy.close()
    }
    const ready = () => (s.js ? waitForHydration(page) : page.waitForLoadState('load'))
    const w = wordsFor(s.lang ?? 'en')
    const go = (path: string) => page.goto(`${server.url}${path}${s.lang ? `?lang=${s.lang}` : ''}`)

    await go('/')
    await ready()
    await at('landing')

    await go('/report')
    await ready()
    await at('report form')

    await page.getByRole('button', { name: w('report.form.continue') }).click()
    await page.getByRole('heading', { name: w('reporter.fields.problem') }).waitFor()
    await ready()
    await at('report form with the error summary')

    await fillReport(page, undefined, s.lang)
    await page.getByRole('button', { name: w('report.form.continue') }).click()
    await page.getByRole('heading', { name: w('report.review.title') }).waitFor()
    await ready()
    await at('check your answers')

    await page.getByRole('button', { name: w('report.review.send') }).click()
    await page.getByRole('heading', { name: w('report.receipt.title') }).waitFor()
    await ready()
    const receipt = (await page.locator('[data-receipt]').getAttribute('data-receipt'))!
    await at('receipt')

    await page.getByLabel(w('report.receipt.confirm')).fill('ZZZZ-Z')
    await page.getByRole('button', { name: w('report.receipt.kept') }).click()
    await page.getByText(w('report.receipt.mismatch')).waitFor()
    await ready()
    await at('receipt with a wrong retype')

    await go('/check')
    await ready()
    await at('check replies form')

    await page.getByLabel(w('check.enter.label')).fill('ABCD')
    await page.getByRole('button', { name: w('check.enter.submit') }).click()
    await page.getByRole('heading', { name: w('reporter.fields.problem') }).waitFor()
    await ready()
    await at('check replies with the error summary')

    await page.getByLabel(w('check.enter.label')).fill(receipt)
    await page.getByRole('button', { name: w('check.enter.submit') }).click()
    await page.getByRole('heading', { name: w('check.thread.heading'), exact: true }).waitFor()
    await ready()
    await at('thread')

    await go('/no-such-page')
    await ready()
    await at('404')

    await go('/safer')
    await ready()
    await at('safer reporting')

    await context.close()
    await twin?.close()
    return found
  }

  const setups: Setup[] = [
    { name: 'phone, JS on', js: true, phone: true },
    { name: 'phone, JS off', js: false, phone: true },
    { name: 'desktop, JS on', js: true },
    { name: 'desktop, JS off', js: false },
    { name: '320 px, JS on', js: true, viewport: { width: 320, height: 640 } },
    { name: '200% zoom, JS off', js: false, viewport: { width: 640, height: 450 } },
    { name: 'Welsh, phone, JS on', js: true, phone: true, lang: 'cy' },
    { name: 'Welsh, phone, JS off', js: false, phone: true, lang: 'cy' },
    { name: 'Welsh, 320 px, JS on', js: true, viewport: { width: 320, height: 640 }, lang: 'cy' },
    { name: 'Welsh, 200% zoom, JS off', js: false, viewport: { width: 640, height: 450 }, lang: 'cy' },
  ]
  for (const s of setups)
    it(`reporter pages, ${s.name}`, async () => {
      expect(await reporterJourney(s)).toEqual([])
    })
})
