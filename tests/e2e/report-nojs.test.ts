import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { phoneContext } from '../support/browser'
import type { RunningServer } from '../support/server'
import {
  expectNoneOf,
  expectNoTraceOnServer,
  expectOpensOffline,
  fillReport,
  journey,
  FOLLOWUP,
  mainText,
  receiptForms,
  receiptTail,
  recordRequests,
  REPORT,
  SECRET_WORDS,
  serverWithOfflineInbox,
  stopAll,
  withTypo,
} from './helpers'

// The same journey with JavaScript off (Tor Browser "Safest"): plain HTML forms, the server
// seals in memory and must still store and print nothing but sealed data.
describe('reporting with JavaScript off (phone)', () => {
  let server: RunningServer
  let browser: Browser
  let page: Page
  let keyFile: string
  let receipt = ''
  let requests: ReturnType<typeof recordRequests>
  journey()

  beforeAll(async () => {
    ;({ server, browser, keyFile } = await serverWithOfflineInbox('candour-e2e-nojs-'))
    const context = await phoneContext(browser, { javaScriptEnabled: false })
    context.setDefaultTimeout(10_000)
    page = await context.newPage()
    requests = recordRequests(page)
  })

  afterAll(() => stopAll(server, browser))

  const continueButton = () => page.getByRole('button', { name: 'Continue to check your answers' })

  it('submitting with the required fields empty shows the error summary', async () => {
    await page.goto(`${server.url}/report`)
    const [res] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), continueButton().click()])
    const origin = (await res.request().allHeaders()).origin
    // A browser posting a plain form must be answered with a page, not refused.
    expect(res.status(), `POST /report with Origin: ${origin} was refused`).toBe(200)
    await page.getByRole('heading', { name: 'There is a problem' }).waitFor()
    await page.waitForLoadState('domcontentloaded')
    const summary = await page.locator('.error-summary').innerText()
    expect(summary).toContain('Choose at least one kind of behaviour.')
    expect(summary).toContain('Tell us what happened.')
    // Each problem links to its field.
    expect(await page.locator('.error-summary a[href="#whatHappened"]').count()).toBe(1)
  })

  it('fills the form, checks the answers, and "Change answers" keeps every value', async () => {
    await fillReport(page)
    await continueButton().click()
    await page.getByRole('heading', { name: 'Check your answers' }).waitFor()
    const review = await mainText(page)
    for (const v of Object.values(REPORT)) expect(review).toContain(v)

    await page.getByRole('button', { name: 'Change answers' }).click()
    await page.getByRole('heading', { name: 'Make a report' }).waitFor()
    expect(await page.getByLabel('Racism').isChecked()).toBe(true)
    expect(await page.getByLabel('Bullying or "banter"').isChecked()).toBe(true)
    expect(await page.getByLabel('Sexism or misogyny').isChecked()).toBe(false)
    expect(await page.getByLabel('I saw or heard it').isChecked()).toBe(true)
    expect(await page.getByLabel('What happened?').inputValue()).toBe(REPORT.whatHappened)
    expect(await page.getByLabel('Roughly when? (optional)').inputValue()).toBe(REPORT.when)
    expect(await page.getByLabel('Where, or which team? (optional)').inputValue()).toBe(REPORT.where)
    expect(await page.getByLabel('Who was involved? (optional)').inputValue()).toBe(REPORT.who)
    expect(await page.getByLabel('Contact details (optional)').inputValue()).toBe(REPORT.contact)
  })

  it('sends the report; the receipt page says the server sealed it in memory, with no JS-only buttons', async () => {
    await continueButton().click()
    await page.getByRole('heading', { name: 'Check your answers' }).waitFor()
    await page.getByRole('button', { name: 'Send report' }).click()
    await page.getByRole('heading', { name: 'Your report has been sent' }).waitFor()
    receipt = (await page.locator('[data-receipt]').getAttribute('data-receipt')) ?? ''
    expect(receipt).toMatch(/^([0-9A-HJKMNP-TV-Z]{4}-){5}[0-9A-HJKMNP-TV-Z*~$=U]$/)
    const text = await mainText(page)
    expect(text).toContain('JavaScript is off')
    expect(text).toContain('sealed your report in memory')
    expect(await page.getByRole('button', { name: /Copy/ }).count()).toBe(0)
    expect(await page.getByRole('button', { name: /Print/ }).count()).toBe(0)
  })

  it('the retype check works through the server', async () => {
    const field = () => page.getByLabel('To check you have it, type the end of your code')
    const tail = receiptTail(receipt)
    await field().fill((tail[0] === '0' ? '1' : '0') + tail.slice(1))
    await page.getByRole('button', { name: 'I have kept my code' }).click()
    await page.getByText('does not match').waitFor()
    // The same receipt is still shown after the failed attempt.
    expect(await page.locator('[data-receipt]').getAttribute('data-receipt')).toBe(receipt)
    await field().fill(tail.replace('-', ' '))
    await page.getByRole('button', { name: 'I have kept my code' }).click()
    await page.getByRole('heading', { name: 'Thank you' }).waitFor()
  })

  it('/check catches a typo, then opens the thread with the receipt', async () => {
    await page.goto(`${server.url}/check`)
    await page.getByLabel('Receipt code').fill(withTypo(receipt))
    await page.getByRole('button', { name: 'Open my report' }).click()
    await page.getByText('This code has a typo').first().waitFor()

    await page.getByLabel('Receipt code').fill(receipt.replace(/-/g, '').toLowerCase())
    await page.getByRole('button', { name: 'Open my report' }).click()
    await page.getByRole('heading', { name: 'Your report', exact: true }).waitFor()
    const text = await mainText(page)
    expect(text).toContain('Sent. Nobody has replied yet.')
    expect(text).toContain('No replies yet')
    for (const v of Object.values(REPORT)) expect(text).toContain(v)
  })

  it('sends a follow-up without JavaScript, and shows it in the thread', async () => {
    await page.getByLabel('Add a message').fill(FOLLOWUP)
    await page.getByRole('button', { name: 'Send message' }).click()
    await page.getByText('Your message was sealed and sent.').waitFor()
    await page.waitForLoadState('domcontentloaded')
    const thread = await page.locator('ol.thread').innerText()
    expect(thread).toContain(FOLLOWUP)
  })

  it('the offline inbox key opens the report and the signed follow-up', () => {
    const out = expectOpensOffline(server, keyFile)
    expect(out).toContain(`Who:\n  │ ${REPORT.who}`)
  })

  it('only this server was contacted, and the plaintext went there only as form posts', () => {
    const origin = new URL(server.url).origin
    expect(requests.filter((r) => new URL(r.url).origin !== origin).map((r) => r.url)).toEqual([])
    // Without JS no script or data request is made; URLs never carry the words or the receipt.
    for (const r of requests) expectNoneOf(decodeURIComponent(r.url), [...SECRET_WORDS, ...receiptForms(receipt)], r.url)
    expect(requests.filter((r) => r.url.includes('/api/'))).toEqual([])
  })

  it('neither the disk nor the server output holds the words or the receipt', () => {
    expectNoTraceOnServer(server, receipt)
  })
})
