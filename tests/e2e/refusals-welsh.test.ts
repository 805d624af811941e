import type { Browser, Route } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formatReceipt, newReceipt, ready } from '../../crypto/index'
import { launchChromium, phoneContext } from '../support/browser'
import { startServer, tempDataDir, type RunningServer } from '../support/server'
import { wordsFor } from '../support/words'
import { mainText, stopAll, waitForHydration } from './helpers'

const API = (url: URL) => url.pathname.startsWith('/api/')

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

  /** Opens /check in `lang` with `answer` standing in for every API call, and tries a code. */
  async function tryCode(lang: 'cy' | 'en', answer: (route: Route) => Promise<void>) {
    const page = await (await phoneContext(browser)).newPage()
    page.context().setDefaultTimeout(15_000)
    await page.goto(`${server.url}/check?lang=${lang}`)
    await waitForHydration(page)
    await page.route(API, answer)
    await page.locator('#receipt').fill(formatReceipt(newReceipt()))
    await page.locator('#receipt').press('Enter')
    return page
  }

  it('a server that cannot be reached is said in Welsh, not in English', async () => {
    const page = await tryCode('cy', (route) => route.abort('connectionrefused'))
    await page.locator('.error-summary').getByText(wordsFor('cy')('errors.network.unreachable')).waitFor()
    expect(await mainText(page)).not.toContain(wordsFor('en')('errors.network.unreachable'))
    await page.context().close()
  })

  it('an answer without words of its own is said in Welsh, with its status', async () => {
    const page = await tryCode('cy', (route) => route.fulfill({ status: 502, contentType: 'text/html', body: '<h1>Bad Gateway</h1>' }))
    await page
      .locator('.error-summary')
      .getByText(wordsFor('cy')('errors.network.refused', { status: 502 }))
      .waitFor()
    await page.context().close()
  })

  it('an English page says the same in English', async () => {
    const page = await tryCode('en', (route) => route.abort('connectionrefused'))
    await page.locator('.error-summary').getByText('Could not reach Candour. Check your connection and try again; nothing was sent.').waitFor()
    await page.context().close()
  })
})
