import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, it } from 'vitest'
import { formatReceipt, newReceipt, ready } from '../../crypto/index'
import { launchChromium, phoneContext } from '../support/browser'
import { startServer, tempDataDir, type RunningServer } from '../support/server'
import { stopAll, waitForHydration } from './helpers'

/** A page in Welsh asks our JSON routes for Welsh, so the server's refusals reach it in Welsh. */
describe('refusals on a Welsh page with JavaScript', () => {
  let server: RunningServer
  let browser: Browser

  beforeAll(async () => {
    await ready()
    ;[server, browser] = await Promise.all([startServer({ dataDir: tempDataDir('candour-e2e-welsh-') }), launchChromium()])
  })
  afterAll(() => stopAll(server, browser))

  it('a receipt code that matches no report is refused in Welsh', async () => {
    const page = await (await phoneContext(browser)).newPage()
    page.context().setDefaultTimeout(15_000)
    await page.goto(`${server.url}/check?lang=cy`)
    await waitForHydration(page)
    await page.locator('#receipt').fill(formatReceipt(newReceipt()))
    await page.locator('#receipt').press('Enter')
    await page.locator('.error-summary').getByText("Nid oes adroddiad yn cyfateb i'r cod derbynneb hwn.", { exact: false }).waitFor()
    await page.context().close()
  })
})
