import fs from 'node:fs'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium, phoneContext } from '../support/browser'
import { postForm, visibleText } from '../support/http'
import { createInbox, startServer, tempDataDir, type RunningServer } from '../support/server'
import { fillReport, journey, mainText, REPORT, waitForHydration } from './helpers'

/**
 * A report left open on a phone closes itself with JS after 15 idle minutes, warned 2 minutes
 * before; without JS nothing can watch for activity, so the page stays, and says so.
 */
const DRAFT = 'Half a sentence I had not finished typing'

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
  /** The thread opened with the code, on a phone whose clock the test moves. */
  async function openThread() {
    const page = await (await phoneContext(browser)).newPage()
    await page.clock.install()
    await page.goto(`${server.url}/check`)
    await waitForHydration(page)
    await page.getByLabel('Receipt code').fill(receipt)
    await page.getByRole('button', { name: 'Open my report' }).click()
    return page
  }

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

  it('with JavaScript: activity keeps it open; a warning comes 2 minutes before the close, and its button keeps it open', async () => {
    const page = await openThread()
    await page.getByRole('heading', { name: 'Your report', exact: true }).waitFor()
    expect(await mainText(page)).toContain('closes your report after 15 minutes without activity')
    await page.clock.fastForward('10:00')
    // Typing is activity: the keys reset the clock.
    await page.getByLabel('Add a message').pressSequentially(DRAFT.slice(0, 8))
    await page.clock.fastForward('12:00')
    expect(await page.getByRole('alertdialog').count()).toBe(0)
    await page.clock.fastForward('01:01')
    const warning = page.getByRole('alertdialog', { name: 'Are you still there?' })
    await warning.waitFor()
    const stay = page.getByRole('button', { name: 'Stay on this page' })
    await expect(stay.evaluate((b) => b === document.activeElement)).resolves.toBe(true)
    // Staying keeps the server's session open too, not only the page.
    const touched = page.waitForRequest((r) => r.url().endsWith('/api/reporter/thread'))
    await stay.click()
    await touched
    await warning.waitFor({ state: 'detached' })
    // Focus goes back to where it was: the message box, still holding every word.
    await expect(page.getByLabel('Add a message').evaluate((t) => t === document.activeElement)).resolves.toBe(true)
    await page.clock.fastForward('12:59')
    expect(await page.getByRole('heading', { name: 'Your report', exact: true }).count()).toBe(1)
    await page.context().close()
  })

  it('with JavaScript: 15 minutes without activity clears the thread from the page; words not sent come back with the code', async () => {
    const page = await openThread()
    await page.getByLabel('Add a message').fill(DRAFT)
    await page.clock.fastForward('13:01')
    await page.getByRole('alertdialog', { name: 'Are you still there?' }).waitFor()
    // A scroll or a stray key once warned is not someone saying they are there: only the button is.
    await page.mouse.wheel(0, 200)
    await page.clock.fastForward('02:00')
    await page.getByText('closed after 15 minutes without activity').waitFor()
    const text = await mainText(page)
    expect(text).not.toContain(REPORT.whatHappened)
    expect(text).not.toContain(DRAFT)
    expect(await page.locator('textarea').count()).toBe(0)
    expect(text).toContain('What you typed and did not send is kept on this page')
    expect(text).toContain('Enter the receipt code')
    await page.getByLabel('Receipt code').fill(receipt)
    await page.getByRole('button', { name: 'Open my report' }).click()
    await page.getByText('Your unsent message is back in the box below').waitFor()
    await expect(page.getByLabel('Add a message').inputValue()).resolves.toBe(DRAFT)
    await page.context().close()
  })

  it('without JavaScript: the thread stays put (no refresh takes it away), says so, and a message sent from it much later still goes', async () => {
    const { html } = await postForm(`${server.url}/check`, { intent: 'open', receipt })
    expect(html).toContain(REPORT.whatHappened)
    expect(html).not.toMatch(/http-equiv="refresh"/i)
    expect(visibleText(html)).toContain('This page stays open until you leave it, and a message you send from it is taken however long it has been open.')
    // The server keeps no session for this page: the code rides in the form, so no clock can run out.
    const hidden = [...html.matchAll(/<input type="hidden" name="(\w+)" value="([^"]*)"/g)].map((m) => [m[1], m[2]] as [string, string])
    expect(hidden.map(([k]) => k)).toContain('receipt')
    const sent = await postForm(`${server.url}/check`, [...hidden.filter(([k]) => k === 'intent' || k === 'receipt'), ['message', DRAFT]])
    expect(visibleText(sent.html)).toContain('Your message was sealed and sent.')
    expect(visibleText(sent.html)).toContain(DRAFT)
  })
})
