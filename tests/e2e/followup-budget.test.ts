import fs from 'node:fs'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium, phoneContext } from '../support/browser'
import { json, loadInboxKeys } from '../support/http'
import { sealedSubmission } from '../support/seal'
import { createInbox, startServer, tempDataDir, type RunningServer } from '../support/server'
import { journey, mainText, waitForHydration } from './helpers'

/**
 * A spent follow-up budget on a phone (decision 20), with JavaScript on and off: the thread states
 * the limits, the refusal says what happened, and the words typed stay in the box. The server
 * allows two messages a visit and three a day.
 */
const SHOTS = process.env.SHOTS_DIR ?? 'tests/.artifacts/screens'
const UNSENT = 'HERON-UNSENT: the second name was on the rota too'

describe('follow-up budget on the reporter thread (phone)', () => {
  let server: RunningServer
  let browser: Browser
  let receipt = ''
  journey()

  beforeAll(async () => {
    const dataDir = tempDataDir('candour-e2e-budget-')
    const created = createInbox(dataDir)
    ;[server, browser] = await Promise.all([startServer({ dataDir, env: { FOLLOWUPS_PER_SESSION: '2', FOLLOWUPS_PER_REPORT_DAY: '3' } }), launchChromium()])
    const filed = await sealedSubmission(created.id, await loadInboxKeys(created.keyFile), { categories: ['sexism'], whatHappened: 'Remarks at the depot.' })
    const res = await json(`${server.url}/api/reports`, { body: filed.body })
    expect(res.status).toBe(201)
    receipt = filed.receipt
    fs.mkdirSync(SHOTS, { recursive: true })
  })
  afterAll(async () => {
    await browser?.close()
    await server?.stop()
    if (server) fs.rmSync(server.dataDir, { recursive: true, force: true })
  })

  async function openThread(javaScriptEnabled: boolean): Promise<Page> {
    const page = await (await phoneContext(browser, { javaScriptEnabled })).newPage()
    page.context().setDefaultTimeout(15_000)
    await page.goto(`${server.url}/check`)
    if (javaScriptEnabled) await waitForHydration(page)
    await page.getByLabel('Receipt code').fill(receipt)
    await page.getByRole('button', { name: 'Open my report' }).click()
    await page.getByRole('heading', { name: 'Your report', exact: true }).waitFor()
    return page
  }

  it("with JavaScript: the limits are stated, and past the visit's budget the refusal shows and the words stay", async () => {
    const page = await openThread(true)
    expect(await mainText(page)).toContain('Your report can take 3 messages and 3 GiB of messages and files a day; one visit, 2 messages and 1 GiB.')
    for (const text of ['First follow-up.', 'Second follow-up.']) {
      await page.getByLabel('Add a message').fill(text)
      await page.getByRole('button', { name: 'Send message' }).click()
      await page.getByText('sealed on this device and sent').waitFor()
    }
    await page.getByLabel('Add a message').fill(UNSENT)
    await page.getByRole('button', { name: 'Send message' }).click()
    await page.getByRole('alert').filter({ hasText: 'This visit has sent 2 messages' }).waitFor()
    expect(await page.getByLabel('Add a message').inputValue()).toBe(UNSENT)
    await page.getByRole('alert').scrollIntoViewIfNeeded()
    await page.screenshot({ path: `${SHOTS}/followup-budget-js.png` })
    await page.context().close()
  })

  it("without JavaScript: the third message goes, the fourth gets the day's refusal with the words in the box", async () => {
    const page = await openThread(false)
    await page.getByLabel('Add a message').fill('Third follow-up, without JavaScript.')
    await page.getByRole('button', { name: 'Send message' }).click()
    await page.getByText('Your message was sealed and sent.').waitFor()
    await page.getByLabel('Add a message').fill(UNSENT)
    await page.getByRole('button', { name: 'Send message' }).click()
    await page.getByText('Your report has had 3 messages today').waitFor()
    expect(await mainText(page)).toContain('Your message was not sent. It is still in the box below')
    expect(await page.getByLabel('Add a message').inputValue()).toBe(UNSENT)
    await page.getByRole('alert').scrollIntoViewIfNeeded()
    await page.screenshot({ path: `${SHOTS}/followup-budget-nojs.png` })
    await page.context().close()
  })
})
