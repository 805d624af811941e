import fs from 'node:fs'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium, phoneContext } from '../support/browser'
import { countRows } from '../support/http'
import { createInbox, ROOT, startServer, tempDataDir, type RunningServer } from '../support/server'
import { fillReport, receiptTail, stopAll, waitForHydration } from './helpers'

/**
 * The receipt cannot be lost by a slip. With JavaScript, a link, Back or closing the page before
 * the retype check asks first, and Quick exit never does. Without JavaScript the receipt has its
 * own address (POST-redirect-GET): reload and Back show it again, the code is never in the
 * address, and once kept or timed out the address shows so.
 */
const SCREENS = path.join(ROOT, 'tests/.artifacts/screens')

describe('keeping the receipt (phone)', () => {
  let server: RunningServer
  let browser: Browser
  beforeAll(async () => {
    const dataDir = tempDataDir('candour-e2e-receipt-')
    createInbox(dataDir)
    ;[server, browser] = await Promise.all([startServer({ dataDir }), launchChromium()])
  })
  afterAll(() => stopAll(server, browser))

  /** To the receipt: from the landing page by its link when `fromLanding`, as most reporters come. */
  async function toReceipt(page: Page, js: boolean, fromLanding = false): Promise<string> {
    if (fromLanding) await page.getByRole('link', { name: 'Make a report' }).first().click()
    else await page.goto(`${server.url}/report`)
    await page.getByRole('heading', { level: 1, name: 'Make a report' }).waitFor()
    if (js) await waitForHydration(page)
    await fillReport(page)
    await page.getByRole('button', { name: 'Continue to check your answers' }).click()
    await page.getByRole('button', { name: 'Send report' }).click()
    return (await page.locator('[data-receipt]').getAttribute('data-receipt'))!
  }

  it('with JavaScript, a link or Back before the retype check asks first; staying keeps the code, leaving goes', async () => {
    const context = await phoneContext(browser)
    const page = await context.newPage()
    await page.goto(`${server.url}/`)
    await waitForHydration(page)
    const receipt = await toReceipt(page, true, true)
    await page.getByRole('navigation', { name: 'Reporter pages' }).getByRole('link', { name: 'Check replies' }).click()
    const guard = page.getByRole('alertdialog', { name: 'You have not kept your receipt code yet' })
    await guard.waitFor()
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('leave-title')
    fs.mkdirSync(SCREENS, { recursive: true })
    await page.screenshot({ path: path.join(SCREENS, 'phone-receipt-guard.png') })
    await page.getByRole('button', { name: 'Stay and keep my code' }).click()
    await guard.waitFor({ state: 'detached' })
    expect(new URL(page.url()).pathname).toBe('/report')
    expect(await page.locator('[data-receipt]').getAttribute('data-receipt')).toBe(receipt)
    await page.goBack()
    await guard.waitFor()
    await page.getByRole('button', { name: 'Leave without my code' }).click()
    await page.waitForURL(`${server.url}/`)
    await context.close()
  })

  it('with JavaScript, closing or reloading the page asks the browser’s own question; after the check nothing asks', async () => {
    const context = await phoneContext(browser)
    const page = await context.newPage()
    const receipt = await toReceipt(page, true)
    const asked: string[] = []
    page.on('dialog', (d) => {
      asked.push(d.type())
      void d.dismiss()
    })
    // The question is armed in an effect after the receipt is drawn: let a frame pass first.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))))
    await page.close({ runBeforeUnload: true })
    await expect.poll(() => asked).toEqual(['beforeunload'])
    expect(page.isClosed()).toBe(false)
    await page.getByLabel('To check you have it, type the end of your code').fill(receiptTail(receipt))
    await page.getByRole('button', { name: 'I have kept my code' }).click()
    await page.getByRole('heading', { name: 'Thank you' }).waitFor()
    await page.getByRole('link', { name: 'Back to the start' }).click()
    await page.waitForURL(`${server.url}/`)
    await page.close({ runBeforeUnload: true })
    await expect.poll(() => page.isClosed()).toBe(true)
    expect(asked).toEqual(['beforeunload'])
    await context.close()
  })

  it('Quick exit never asks, even before the retype check', async () => {
    const context = await phoneContext(browser)
    await context.route('https://www.bbc.co.uk/**', (r) => r.fulfill({ body: 'elsewhere', contentType: 'text/html' }))
    const page = await context.newPage()
    await toReceipt(page, true)
    const asked: string[] = []
    page.on('dialog', (d) => {
      asked.push(d.type())
      void d.accept()
    })
    await page.locator('.quick-exit').click()
    await page.waitForURL(/bbc\.co\.uk/)
    expect(asked).toEqual([])
    await context.close()
  })

  it('without JavaScript, the receipt has its own address: reload and Back show it again, and the code is never in it', async () => {
    const before = await countRows(server.dbFile)
    const context = await phoneContext(browser, { javaScriptEnabled: false })
    const page = await context.newPage()
    const receipt = await toReceipt(page, false)
    const at = new URL(page.url())
    expect(at.pathname).toBe('/report')
    expect(at.searchParams.get('shown')).toMatch(/^[A-Za-z0-9_-]{22}$/)
    expect(page.url()).not.toContain(receipt.replace(/-/g, '').slice(0, 8))
    await page.reload()
    expect(await page.locator('[data-receipt]').getAttribute('data-receipt')).toBe(receipt)
    await page.getByRole('navigation', { name: 'Reporter pages' }).getByRole('link', { name: 'Check replies' }).click()
    await page.waitForURL(`${server.url}/check`)
    await page.goBack()
    expect(await page.locator('[data-receipt]').getAttribute('data-receipt')).toBe(receipt)
    expect(await countRows(server.dbFile)).toBe(before + 1)

    await page.getByLabel('To check you have it, type the end of your code').fill(receiptTail(receipt))
    await page.getByRole('button', { name: 'I have kept my code' }).click()
    await page.getByRole('heading', { name: 'Thank you' }).waitFor()
    expect(page.url()).toBe(at.toString())
    // Kept, the address no longer shows the code: reload says "Thank you" again.
    await page.reload()
    await page.getByRole('heading', { name: 'Thank you' }).waitFor()
    expect(await page.locator('[data-receipt]').count()).toBe(0)
    // A name the server does not hold (timed out, or after a restart) says the page has closed.
    await page.goto(`${server.url}/report?shown=${'A'.repeat(22)}`)
    await page.getByRole('heading', { name: 'This receipt page has closed' }).waitFor()
    expect(await countRows(server.dbFile)).toBe(before + 1)
    await context.close()
  })
})
