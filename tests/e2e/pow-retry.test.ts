import fs from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import { launchChromium, phoneContext } from '../support/browser'
import { countRows } from '../support/http'
import { createInbox, startServer, tempDataDir, type RunningServer } from '../support/server'
import { fillReport, recordRequests, stopAll, waitForHydration } from './helpers'

const SHOTS = '/tmp/shots-pow'

// The price rises while the phone solves its proof (decision 18): the server answers 409 with
// retry: 'pow', and the page fetches a new challenge and solves again without troubling the reporter.
describe('a stale proof of work is solved again by the page (phone, JavaScript on)', () => {
  let server: RunningServer
  let browser: Browser

  beforeAll(async () => {
    const dataDir = tempDataDir('candour-e2e-pow-')
    createInbox(dataDir)
    ;[server, browser] = await Promise.all([
      startServer({
        dataDir,
        env: { POW_BASE_BITS: '0', POW_MAX_BITS: '8', POW_BUSY_PER_MINUTE: '2', POW_STEP_PER_MINUTE: '1', POW_ISSUED_PER_REDEEMED: '1' },
      }),
      launchChromium(),
    ])
  })
  afterAll(() => stopAll(server, browser))

  it('the report goes through on the second proof, and the reporter sees only the receipt', async () => {
    const context = await phoneContext(browser)
    context.setDefaultTimeout(15_000)
    const page = await context.newPage()
    const requests = recordRequests(page)
    const answers: number[] = []
    page.on('response', (r) => new URL(r.url()).pathname === '/api/reports' && answers.push(r.status()))
    // The first challenge is held back while a flood of others raises the price past it.
    let first = true
    await page.route('**/api/pow?purpose=report', async (route) => {
      if (!first) return route.continue()
      first = false
      const cheap = await route.fetch()
      await Promise.all(Array.from({ length: 20 }, () => fetch(`${server.url}/api/pow?purpose=report`)))
      await route.fulfill({ response: cheap })
    })

    await page.goto(`${server.url}/report`)
    await waitForHydration(page)
    await fillReport(page)
    await page.getByRole('button', { name: 'Continue to check your answers' }).click()
    await page.getByRole('button', { name: 'Send report' }).click()
    await page.getByRole('heading', { name: 'Your report has been sent' }).waitFor()
    fs.mkdirSync(SHOTS, { recursive: true })
    await page.screenshot({ path: `${SHOTS}/receipt-after-retry.png`, fullPage: true })

    expect(answers).toEqual([409, 201])
    expect(requests.filter((r) => new URL(r.url).pathname === '/api/pow').length).toBe(2)
    expect(await countRows(server.dbFile)).toBe(1)
    await context.close()
  })
})
