import fs from 'node:fs'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { newReceipt, ready, sealReport } from '../../crypto/index'
import { DESKTOP, launchChromium, phoneContext } from '../support/browser'
import { json } from '../support/http'
import { sqlAll } from '../support/review-api'
import { startServer, tempDataDir, type RunningServer } from '../support/server'
import { HAZARDS, XSS_CORPUS } from '../support/xss-corpus'
import { journey, mainText, waitForHydration } from './helpers'
import { setUpFirstReviewer, virtualAuthenticator } from './reviewer-helpers'

const ALL = XSS_CORPUS.join('\n')
const some = (from: number, n: number) => XSS_CORPUS.slice(from, from + n)

/**
 * Every payload of the corpus, in every free-text answer, a follow-up, a reply and a note, must
 * show as the words typed on each page that shows them: the reviewer's list, search, report and
 * case-file copy, and the reporter's thread with and without JavaScript.
 */
describe('an XSS corpus stays text on both sides (reviewer desktop, reporter phone)', () => {
  let server: RunningServer
  let browser: Browser
  let reviewer: Page
  let receipt = ''
  const offsite: string[] = []
  const dialogs: string[] = []
  journey()

  /** Records what a payload could do if it ran: dialogs, requests elsewhere, CSP refusals. */
  async function watch(context: BrowserContext, javaScript: boolean) {
    context.on('request', (r) => {
      if (!r.url().startsWith(server.url) && !r.url().startsWith('blob:') && !r.url().startsWith('data:')) offsite.push(r.url())
    })
    context.on('page', (p) => p.on('dialog', (d) => (dialogs.push(d.message()), d.dismiss())))
    if (javaScript)
      await context.addInitScript(() => {
        ;(window as any).__csp = []
        document.addEventListener('securitypolicyviolation', (e) => (window as any).__csp.push(`${e.violatedDirective} ${e.blockedURI}`))
      })
  }

  /** Nothing typed became markup, ran, or fetched; with JS, nothing tried and was refused by the CSP. */
  async function expectInert(page: Page, javaScript: boolean) {
    await page.waitForLoadState('domcontentloaded')
    expect(await page.locator(HAZARDS).evaluateAll((els) => els.map((e) => e.outerHTML.slice(0, 120)))).toEqual([])
    if (javaScript) {
      expect(await page.evaluate(() => (window as any).__xss)).toBeUndefined()
      expect(await page.evaluate(() => (window as any).__csp)).toEqual([])
    }
    expect(offsite).toEqual([])
    expect(dialogs).toEqual([])
  }

  const expectLiteral = (text: string, payloads: readonly string[]) => {
    for (const p of payloads) expect(text, 'a payload missing or changed on the page').toContain(p)
  }

  beforeAll(async () => {
    ;[server, browser] = await Promise.all([startServer({ dataDir: tempDataDir('candour-e2e-xss-') }), launchChromium()])
    const context = await browser.newContext({ viewport: DESKTOP })
    context.setDefaultTimeout(15_000)
    await watch(context, true)
    reviewer = await context.newPage()
    await virtualAuthenticator(context, reviewer, true)
    await setUpFirstReviewer(reviewer, server, { name: 'Dana Reviewer', inbox: 'Professional Standards' })

    // Sealed as a reporter's browser would: the payloads reach the reviewer only as ciphertext.
    await ready()
    const [key] = await sqlAll<{ inbox_id: string; key_version: number; box_pk: string; signature: string; sign_pk: string }>(
      server.dbFile,
      'SELECT k.inbox_id, k.key_version, k.box_pk, k.signature, i.sign_pk FROM inbox_keys k JOIN inboxes i ON i.id = k.inbox_id',
    )
    const target = { inboxId: key.inbox_id, keyVersion: key.key_version, boxPk: key.box_pk, signPk: key.sign_pk, signature: key.signature }
    const answers = {
      categories: ['racism'],
      whatHappened: ALL,
      when: XSS_CORPUS[0],
      where: some(1, 4).join('\n'),
      who: some(5, 20).join('\n'),
      role: 'witness',
      contact: some(25, 5).join('\n'),
    }
    receipt = newReceipt()
    expect((await json(`${server.url}/api/reports`, { body: sealReport(answers, receipt, target) })).status).toBe(201)
    // A plain report beside it, so a search can be seen to narrow the list.
    const plain = { ...answers, whatHappened: 'Comments in the canteen', when: '', where: '', who: '', contact: '' }
    expect((await json(`${server.url}/api/reports`, { body: sealReport(plain, newReceipt(), target) })).status).toBe(201)
  })
  afterAll(async () => {
    await browser?.close()
    await server?.stop()
    if (server) fs.rmSync(server.dataDir, { recursive: true, force: true })
  })

  it(`the reviewer's list and search show the report; ${XSS_CORPUS.length} payloads, none of them markup`, async () => {
    await reviewer.getByRole('link', { name: 'Professional Standards' }).click()
    await reviewer.locator('[data-inbox-ready]').waitFor()
    await reviewer.getByLabel('Search the reports').fill('<svg onload=')
    await reviewer.getByText('1 of 2 reports matches').waitFor()
    await expectInert(reviewer, true)
  })

  it('the report page shows every answer as typed, and the payloads do nothing', async () => {
    await reviewer.locator('[data-report] h2 a').click()
    await reviewer.getByRole('heading', { name: 'Who opened this' }).waitFor()
    expectLiteral(await mainText(reviewer), XSS_CORPUS)
    await expectInert(reviewer, true)
    await reviewer.screenshot({ path: 'tests/.artifacts/screens/desktop-xss-report.png' })
  })

  it('a reply and a note carrying payloads show as typed; so does the case-file copy', async () => {
    await reviewer.getByLabel('Reply to the reporter').fill(ALL)
    await reviewer.getByRole('button', { name: 'Send reply' }).click()
    await reviewer.getByText('Reply sealed in this browser and sent').waitFor()
    await reviewer.getByLabel('Internal note').fill(some(10, 10).join('\n'))
    await reviewer.getByRole('button', { name: 'Add note' }).click()
    await reviewer.getByText('The reporter cannot see it').waitFor()
    expectLiteral(await reviewer.locator('ol.thread').innerText(), XSS_CORPUS)
    await expectInert(reviewer, true)
    await reviewer.getByRole('button', { name: /Case-file copy/ }).click()
    await reviewer.locator('[data-case-file]').waitFor()
    expectLiteral(await reviewer.locator('[data-case-file]').innerText(), XSS_CORPUS)
    await expectInert(reviewer, true)
    await reviewer.getByRole('button', { name: 'Back to the report' }).click()
  })

  it('without JavaScript the reporter reads the reply as text; the page source carries no live markup; they answer with payloads', async () => {
    const context = await phoneContext(browser, { javaScriptEnabled: false })
    await watch(context, false)
    const page = await context.newPage()
    await page.goto(`${server.url}/check`)
    await page.getByLabel('Receipt code').fill(receipt)
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Open my report' }).click(),
    ])
    await page.getByRole('heading', { name: 'Your report', exact: true }).waitFor()
    expectLiteral(await mainText(page), XSS_CORPUS)
    await expectInert(page, false)
    // The thread also rides in the page's inline data: no payload may close that script or open another.
    const source = await res.text()
    expect(source.match(/<script\b/g)?.length).toBe(source.match(/<script\b[^>]*\snonce="/g)?.length)
    for (const p of ['<script>window.__xss', '</script><script>', '<img src=x onerror']) expect(source).not.toContain(p)

    await page.getByLabel('Add a message').fill(ALL)
    await page.getByRole('button', { name: 'Send message' }).click()
    await page.getByText('Your message was sealed and sent.').waitFor()
    expectLiteral(await page.locator('ol.thread').innerText(), XSS_CORPUS)
    await expectInert(page, false)
    await context.close()
  })

  it('with JavaScript the reporter’s phone shows the thread as text and nothing runs', async () => {
    const context = await phoneContext(browser)
    await watch(context, true)
    const page = await context.newPage()
    await page.goto(`${server.url}/check`)
    await waitForHydration(page)
    await page.getByLabel('Receipt code').fill(receipt)
    await page.getByRole('button', { name: 'Open my report' }).click()
    await page.getByRole('heading', { name: 'Your report', exact: true }).waitFor()
    const text = await mainText(page)
    expectLiteral(text, XSS_CORPUS)
    expect(text.split(XSS_CORPUS[0]).length - 1, 'report, reply and follow-up each carry the corpus').toBeGreaterThanOrEqual(3)
    await expectInert(page, true)
    await page.screenshot({ path: 'tests/.artifacts/screens/phone-xss-thread.png' })
    await context.close()
  })

  it('the reviewer reads the follow-up as the reporter’s words, as text', async () => {
    await reviewer.getByRole('link', { name: /^Back to Professional Standards/ }).click()
    await reviewer.getByLabel('Search the reports').fill('<svg onload=')
    await reviewer.getByText('1 of 2 reports matches').waitFor()
    await reviewer.locator('[data-report] h2 a').click()
    await reviewer.getByRole('heading', { name: 'Who opened this' }).waitFor()
    const thread = await reviewer.locator('ol.thread').innerText()
    expect(thread).not.toMatch(/could not be verified/i)
    expect(thread.split(XSS_CORPUS[0]).length - 1, 'the reply and the follow-up').toBe(2)
    await expectInert(reviewer, true)
  })
})
