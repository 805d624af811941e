import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium, phoneContext } from '../support/browser'
import { createInbox, startServer, tempDataDir, type RunningServer } from '../support/server'
import { stopAll } from './helpers'

/**
 * Without JavaScript an error summary's link is a plain jump to its field: for a group of
 * choices (two inboxes make the inbox one appear) focus must land on the group itself, so a
 * screen reader reads its legend and the next Tab reaches its first choice.
 */
describe('the report form’s error summary moves focus to a group of choices, JavaScript off', () => {
  let server: RunningServer
  let browser: Browser
  let page: Page

  beforeAll(async () => {
    const dataDir = tempDataDir('candour-e2e-summary-')
    createInbox(dataDir)
    createInbox(dataDir, 'Independent Reviewer', 'Reviews reports about Professional Standards')
    ;[server, browser] = await Promise.all([startServer({ dataDir }), launchChromium()])
    const context = await phoneContext(browser, { javaScriptEnabled: false })
    context.setDefaultTimeout(10_000)
    page = await context.newPage()
    await page.goto(`${server.url}/report`)
    await page.getByRole('button', { name: 'Continue to check your answers' }).click()
    await page.getByRole('heading', { name: 'There is a problem' }).waitFor()
  })
  afterAll(() => stopAll(server, browser))

  for (const id of ['inboxId', 'categories'])
    it(`the link to #${id} focuses its fieldset`, async () => {
      await page.locator(`.error-summary a[href="#${id}"]`).click()
      await expect.poll(() => page.evaluate(() => `${document.activeElement?.tagName}#${document.activeElement?.id}`)).toBe(`FIELDSET#${id}`)
    })
})
