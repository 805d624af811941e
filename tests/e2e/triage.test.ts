import fs from 'node:fs'
import type { Browser, Page } from 'playwright-core'
import sqlite3 from 'sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { deriveReporterKeys, newReceipt, ready, sealFollowup } from '../../crypto/index'
import { normaliseReceipt } from '../../crypto/receipt'
import { DESKTOP, launchChromium, phoneContext } from '../support/browser'
import { sqlAll } from '../support/review-api'
import { startServer, tempDataDir, type RunningServer } from '../support/server'
import { fillReport, FOLLOWUP, journey, mainText, REPORT, waitForHydration } from './helpers'
import { setUpFirstReviewer, virtualAuthenticator } from './reviewer-helpers'

// What a hostile reporter might type: it must stay text on the reviewer's screen.
const XSS = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>'
const REPLY = 'Thank you. We have read your report and will look into the WALRUS team.'
const NOTE = 'Internal: speak to the duty inspector first'
const FORGED = 'FORGED: I withdraw everything I said'

/** A reviewer at a desk reads and answers a report; the reporter, on a phone, reads the answer. */
describe('reviewer reads, replies and notes; reporter reads the reply (desktop + phone)', () => {
  let server: RunningServer
  let browser: Browser
  let reviewer: Page
  let receipt = ''
  journey()

  const openReport = async () => {
    await reviewer.locator('[data-report] h2 a').click()
    await reviewer.getByRole('heading', { name: 'Who opened this' }).waitFor()
  }

  beforeAll(async () => {
    ;[server, browser] = await Promise.all([startServer({ dataDir: tempDataDir('candour-e2e-triage-') }), launchChromium()])
    const context = await browser.newContext({ viewport: DESKTOP })
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

  it('a reporter files a report with JavaScript whose text is an HTML payload', async () => {
    const page = await (await phoneContext(browser)).newPage()
    await page.goto(`${server.url}/report`)
    await waitForHydration(page)
    await fillReport(page, { ...REPORT, whatHappened: XSS })
    await page.getByRole('button', { name: 'Continue to check your answers' }).click()
    await page.getByRole('button', { name: 'Send report' }).click()
    await page.getByRole('heading', { name: 'Your report has been sent' }).waitFor()
    receipt = (await page.locator('[data-receipt]').getAttribute('data-receipt')) ?? ''
    expect(receipt).toMatch(/^[0-9A-Z]{4}-/)
    await page.context().close()
  })

  it('the reviewer sees it in the inbox list, opened in the browser', async () => {
    await reviewer.getByRole('link', { name: 'Professional Standards' }).click()
    await reviewer.getByRole('heading', { name: 'Professional Standards' }).waitFor()
    const card = reviewer.locator('[data-report]')
    await card.getByText('Racism, Bullying or "banter"').waitFor()
    const text = await card.innerText()
    expect(text).toMatch(/Unread/)
    expect(text).toMatch(/Acknowledge by \d+ \w+ \d{4}/)
    expect(text).toMatch(/Received \d+ \w+ \d{4} · Not assigned · 0 messages · last activity/)
  })

  it('the report shows the payload as literal text and runs none of it', async () => {
    await openReport()
    expect(await mainText(reviewer)).toContain(XSS)
    expect(await reviewer.locator('main img, main script').count()).toBe(0)
    expect(await reviewer.evaluate(() => (window as any).__xss)).toBeUndefined()
  })

  it('the reviewer replies and adds an internal note, shown apart from the reply', async () => {
    await reviewer.getByLabel('Reply to the reporter').fill(REPLY)
    await reviewer.getByRole('button', { name: 'Send reply' }).click()
    await reviewer.getByText('Reply sealed in this browser and sent').waitFor()
    await reviewer.getByLabel('Internal note').fill(NOTE)
    await reviewer.getByRole('button', { name: 'Add note' }).click()
    await reviewer.getByText('The reporter cannot see it').waitFor()
    const note = reviewer.locator('.bubble--note')
    expect(await note.innerText()).toContain(NOTE)
    expect(await note.innerText()).toContain('Never shown to the reporter')
    expect(await reviewer.locator('[data-chip="status"]').innerText()).toBe('Acknowledged')
    expect(await reviewer.locator('[data-chip="ack"]').count()).toBe(0)
  })

  /** /check on a phone, with or without JS: the reply under a bird pseudonym, the status, never the note. */
  async function checkOnPhone(javaScriptEnabled: boolean) {
    const page = await (await phoneContext(browser, { javaScriptEnabled })).newPage()
    await page.goto(`${server.url}/check`)
    if (javaScriptEnabled) await waitForHydration(page)
    await page.getByLabel('Receipt code').fill(receipt)
    await page.getByRole('button', { name: 'Open my report' }).click()
    await page.getByRole('heading', { name: 'Your report', exact: true }).waitFor()
    const text = await mainText(page)
    expect(text).toMatch(/Acknowledged|A reviewer has read your report/)
    expect(text).toMatch(new RegExp(`Reviewer [A-Z][a-z]+ · [^\\n]*\\n+${REPLY}`))
    expect(text).not.toContain(NOTE)
    expect(text).toContain(XSS)
    return page
  }

  it('the reporter reads the reply with JavaScript, under the reviewer pseudonym, and sends a follow-up', async () => {
    const page = await checkOnPhone(true)
    expect(await page.evaluate(() => (window as any).__xss)).toBeUndefined()
    await page.getByLabel('Add a message').fill(FOLLOWUP)
    await page.getByRole('button', { name: 'Send message' }).click()
    await page.getByText('sealed on this device and sent').waitFor()
    await page.context().close()
  })

  it('the reporter reads the reply without JavaScript too, and never the note', async () => {
    const page = await checkOnPhone(false)
    await page.screenshot({ path: 'tests/.artifacts/screens/phone-thread-reply-nojs.png', fullPage: true })
    await page.context().close()
  })

  it('a follow-up forged in the database is flagged; the real one is the reporter’s words', async () => {
    await ready()
    const [report] = await sqlAll<{ id: string; box_pk: string }>(
      server.dbFile,
      'SELECT r.id, k.box_pk FROM reports r JOIN inbox_keys k ON k.inbox_id = r.inbox_id AND k.key_version = r.key_version',
    )
    const forged = sealFollowup(FORGED, deriveReporterKeys(normaliseReceipt(newReceipt())), report.box_pk, [], null)
    await new Promise<void>((resolve, reject) => {
      const db = new sqlite3.Database(server.dbFile)
      db.run(
        `INSERT INTO messages (report_id, seq, author_kind, key_version, envelope, created_day)
         SELECT ?, MAX(seq) + 1, 'reporter', 1, ?, ? FROM messages WHERE report_id = ?`,
        [report.id, JSON.stringify(forged), new Date().toISOString().slice(0, 10), report.id],
        (err) => db.close(() => (err ? reject(err) : resolve())),
      )
    })
    // Back through the list: a reload would lock the keys, which live in page memory only.
    await reviewer.getByRole('link', { name: /^Back to Professional Standards/ }).click()
    await openReport()
    const thread = await reviewer.locator('ol.thread').innerText()
    expect(thread).toContain(FOLLOWUP)
    expect(thread).toContain("Could not be verified: not shown as the reporter's words")
    expect(thread).not.toContain(FORGED)
    expect(await reviewer.locator('.bubble--unverified').count()).toBe(1)
    // Kept for looking at (tests/.artifacts is not committed).
    await reviewer.screenshot({ path: 'tests/.artifacts/screens/desktop-review-report.png', fullPage: true })
  })

  it('"Who opened this" lists the reviewer’s openings, reply and note', async () => {
    const trail = await reviewer.locator('.trail').innerText()
    expect(trail.match(/Dana Reviewer opened this report/g)).toHaveLength(2)
    expect(trail).toContain('Dana Reviewer replied')
    expect(trail).toContain('Dana Reviewer added an internal note')
  })
})
