import fs from 'node:fs'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium, phoneContext } from '../support/browser'
import { postForm } from '../support/http'
import { createInbox, startServer, tempDataDir, type RunningServer } from '../support/server'
import { fillReport, journey, mainText, REPORT, waitForHydration } from './helpers'

/** A report left open on a phone closes itself: with JS after 15 idle minutes, without JS by a refresh. */
describe('an idle thread page closes itself', () => {
  let server: RunningServer
  let browser: Browser
  let receipt = ''
  journey()

  beforeAll(async () => {
    const dataDir = tempDataDir('candour-e2e-idle-')
    createInbox(dataDir)
    ;[server, browser] = await Promise.all([startServer({ dataDir }), launchChromium()])
  })
  afterAll(async () => {
    await browser?.close()
    await server?.stop()
    if (server) fs.rmSync(server.dataDir, { recursive: true, force: true })
  })

  it('files a report; a copied receipt leaves the clipboard a minute later', async () => {
    const context = await phoneContext(browser)
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url })
    const page = await context.newPage()
    await page.clock.install()
    await page.goto(`${server.url}/report`)
    await waitForHydration(page)
    await fillReport(page, REPORT)
    await page.getByRole('button', { name: 'Continue to check your answers' }).click()
    await page.getByRole('button', { name: 'Send report' }).click()
    receipt = (await page.locator('[data-receipt]').getAttribute('data-receipt')) ?? ''
    expect(receipt).not.toBe('')
    await page.getByRole('button', { name: 'Copy code' }).click()
    await page.getByText('empties the clipboard again').waitFor()
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(receipt)
    await page.clock.fastForward('01:01')
    await page.getByRole('button', { name: 'Copy code' }).waitFor()
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('')
    await page.context().close()
  })

  it('with JavaScript: activity keeps it open; 15 minutes without any clears the thread from the page', async () => {
    const page = await (await phoneContext(browser)).newPage()
    await page.clock.install()
    await page.goto(`${server.url}/check`)
    await waitForHydration(page)
    await page.getByLabel('Receipt code').fill(receipt)
    await page.getByRole('button', { name: 'Open my report' }).click()
    await page.getByRole('heading', { name: 'Your report', exact: true }).waitFor()
    await page.clock.fastForward('10:00')
    await page.keyboard.press('Shift')
    await page.clock.fastForward('10:00')
    expect(await page.getByRole('heading', { name: 'Your report', exact: true }).count()).toBe(1)
    await page.clock.fastForward('15:01')
    await page.getByText('closed after 15 minutes without activity').waitFor()
    const text = await mainText(page)
    expect(text).not.toContain(REPORT.whatHappened)
    expect(text).toContain('Enter the receipt code')
    await page.context().close()
  })

  it('without JavaScript: the thread page refreshes to a blank code form after 15 minutes', async () => {
    const { html } = await postForm(`${server.url}/check`, { intent: 'open', receipt })
    expect(html).toContain(REPORT.whatHappened)
    expect(html).toMatch(/<meta http-equiv="refresh" content="900;url=\/check"\/?>/)
  })
})
