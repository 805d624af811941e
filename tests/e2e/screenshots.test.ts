import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { DESKTOP, phoneContext } from '../support/browser'
import { ROOT, type RunningServer } from '../support/server'
import { fillReport, FOLLOWUP, serverWithOfflineInbox, stopAll, waitForHydration } from './helpers'
import { runAxe } from './axe'

const SCREENS = path.join(ROOT, 'tests/.artifacts/screens')

type Problem = string

/** Checks that need no library: labels, one h1, and (on a phone) 44 px touch targets. */
async function basicAccessibility(page: Page, name: string, phone: boolean): Promise<Problem[]> {
  const found = await page.evaluate((phone) => {
    const out: string[] = []
    const visible = (el: Element) => {
      const r = el.getBoundingClientRect()
      return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden'
    }
    const describe = (el: Element) =>
      `<${el.tagName.toLowerCase()}${el.id ? ` id="${el.id}"` : ''}${el.className ? ` class="${el.className}"` : ''}> "${(el.textContent ?? '').trim().slice(0, 30)}"`
    for (const el of document.querySelectorAll<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>('input:not([type=hidden]), textarea, select')) {
      const labelled =
        (el.labels && [...el.labels].some((l) => l.textContent?.trim())) ||
        el.getAttribute('aria-label')?.trim() ||
        (el.getAttribute('aria-labelledby') ?? '').split(/\s+/).some((id) => document.getElementById(id)?.textContent?.trim())
      if (!labelled) out.push(`no label: ${describe(el)}`)
    }
    const h1s = document.querySelectorAll('h1').length
    if (h1s !== 1) out.push(`${h1s} h1 elements`)
    if (phone)
      for (const el of document.querySelectorAll('button, .quick-exit, a.button, label.choice')) {
        if (!visible(el)) continue
        const h = el.getBoundingClientRect().height
        if (h < 44) out.push(`touch target ${Math.round(h)}px tall: ${describe(el)}`)
      }
    // Nothing may stick out sideways: a phone user would have to scroll both ways.
    const overflow = document.documentElement.scrollWidth - document.documentElement.clientWidth
    if (overflow > 0) out.push(`page is ${overflow}px wider than the viewport`)
    return out
  }, phone)
  return found.map((p) => `${name}: ${p}`)
}

describe('screenshots and basic accessibility of the reporter pages', () => {
  let server: RunningServer
  let browser: Browser

  beforeAll(async () => {
    ;({ server, browser } = await serverWithOfflineInbox('candour-e2e-screens-'))
    fs.mkdirSync(SCREENS, { recursive: true })
  })

  afterAll(() => stopAll(server, browser))

  /** The whole reporter journey, stopping at each page to photograph and check it. */
  async function journey(context: BrowserContext, prefix: 'phone' | 'desktop') {
    context.setDefaultTimeout(10_000)
    const page = await context.newPage()
    const problems: Problem[] = []
    const shots: string[] = []
    const capture = async (name: string) => {
      // The page has settled: no spinner or half-sent state in the picture.
      await page.waitForLoadState('networkidle')
      const file = path.join(SCREENS, `${prefix}-${name}.png`)
      await page.screenshot({ path: file, fullPage: true, animations: 'disabled' })
      shots.push(file)
      problems.push(...(await basicAccessibility(page, name, prefix === 'phone')))
      problems.push(...(await runAxe(page, name, ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])))
    }

    await page.goto(`${server.url}/`)
    await capture('landing')

    await page.goto(`${server.url}/report`)
    await waitForHydration(page)
    await capture('report')

    await page.getByRole('button', { name: 'Continue to check your answers' }).click()
    await page.getByRole('heading', { name: 'There is a problem' }).waitFor()
    await capture('report-errors')

    await fillReport(page)
    await page.getByRole('button', { name: 'Continue to check your answers' }).click()
    await page.getByRole('heading', { name: 'Check your answers' }).waitFor()
    await capture('check-answers')

    await page.getByRole('button', { name: 'Send report' }).click()
    await page.getByRole('heading', { name: 'Your report has been sent' }).waitFor()
    const receipt = (await page.locator('[data-receipt]').getAttribute('data-receipt'))!
    await capture('receipt')

    await page.goto(`${server.url}/check`)
    await waitForHydration(page)
    await capture('check')

    await page.getByLabel('Receipt code').fill(receipt)
    await page.getByRole('button', { name: 'Open my report' }).click()
    await page.getByLabel('Add a message').fill(FOLLOWUP)
    await page.getByRole('button', { name: 'Send message' }).click()
    await page.getByText('sealed on this device and sent').waitFor()
    await capture('thread')

    await page.close()
    return { problems, shots }
  }

  it('phone (390×844): every page photographed; labels, one h1, 44 px targets, no sideways scroll', async () => {
    const { problems, shots } = await journey(await phoneContext(browser), 'phone')
    expect(shots).toHaveLength(7)
    for (const f of shots) expect(fs.statSync(f).size).toBeGreaterThan(10_000)
    expect(problems).toEqual([])
  })

  it('desktop (1280×900): every page photographed; labels and one h1', async () => {
    const context = await browser.newContext({ viewport: DESKTOP, locale: 'en-GB' })
    const { problems, shots } = await journey(context, 'desktop')
    expect(shots).toHaveLength(7)
    expect(problems).toEqual([])
  })
})
