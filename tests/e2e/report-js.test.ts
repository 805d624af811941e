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
  waitForHydration,
  serverWithOfflineInbox,
  stopAll,
  withTypo,
} from './helpers'

// A reporter on their phone with JavaScript on: everything is sealed in the browser, so the
// server, its disk and its logs never see the words or the receipt.
describe('reporting with JavaScript on (phone)', () => {
  let server: RunningServer
  let browser: Browser
  let page: Page
  let keyFile: string
  let receipt = ''
  let requests: ReturnType<typeof recordRequests>
  journey()

  beforeAll(async () => {
    ;({ server, browser, keyFile } = await serverWithOfflineInbox('candour-e2e-js-'))
    const context = await phoneContext(browser)
    context.setDefaultTimeout(10_000)
    page = await context.newPage()
    requests = recordRequests(page)
  })

  afterAll(() => stopAll(server, browser))

  it('the landing page gives the safety advice and a quick exit', async () => {
    await page.goto(`${server.url}/`)
    const text = await mainText(page)
    expect(text).toContain('your own phone')
    expect(text).toContain('force Wi-Fi')
    expect(text).toContain('Tor Browser')
    const exit = page.getByRole('link', { name: /Quick exit/ })
    await expect(exit.isVisible()).resolves.toBe(true)
    // Through /exit, which clears what the browser holds for the site before leaving.
    expect(await exit.getAttribute('href')).toBe('/exit')
  })

  it('files a report that is sealed on this device', async () => {
    await waitForHydration(page)
    await page.getByRole('link', { name: 'Make a report' }).first().click()
    await page.getByRole('heading', { name: 'Make a report' }).waitFor()
    await waitForHydration(page)
    await fillReport(page)
    await page.getByRole('button', { name: 'Continue to check your answers' }).click()
    await page.getByRole('heading', { name: 'Check your answers' }).waitFor()
    const review = await mainText(page)
    expect(review).toContain(REPORT.whatHappened)
    expect(review).toContain(REPORT.contact)
    // Nothing has left the browser yet: the review step is client-side only.
    expect(requests.filter((r) => r.method === 'POST')).toEqual([])

    await page.getByRole('button', { name: 'Send report' }).click()
    await page.getByRole('heading', { name: 'Your report has been sent' }).waitFor()
    receipt = (await page.locator('[data-receipt]').getAttribute('data-receipt')) ?? ''
    expect(receipt).toMatch(/^([0-9A-HJKMNP-TV-Z]{4}-){5}[0-9A-HJKMNP-TV-Z*~$=U]$/)
    expect(await mainText(page)).toContain('sealed on this device')
    const posts = requests.filter((r) => r.method === 'POST')
    expect(posts.map((r) => new URL(r.url).pathname)).toEqual(['/api/reports'])
  })

  it('the retype check refuses a wrong ending and accepts the right one', async () => {
    const tail = receiptTail(receipt)
    const wrong = (tail[0] === '0' ? '1' : '0') + tail.slice(1)
    await page.getByLabel('To check you have it, type the end of your code').fill(wrong)
    await page.getByRole('button', { name: 'I have kept my code' }).click()
    await page.getByText('does not match').waitFor()
    await page.getByLabel('To check you have it, type the end of your code').fill(tail.toLowerCase())
    await page.getByRole('button', { name: 'I have kept my code' }).click()
    await page.getByRole('heading', { name: 'Thank you' }).waitFor()
  })

  it('/check says a code with one wrong symbol has a typo, before any lookup', async () => {
    await page.goto(`${server.url}/check`)
    await waitForHydration(page)
    const before = requests.length
    await page.getByLabel('Receipt code').fill(withTypo(receipt))
    await page.getByRole('button', { name: 'Open my report' }).click()
    await page.getByText('This code has a typo').first().waitFor()
    // The typo is caught on the device: no challenge was asked for.
    expect(requests.slice(before).filter((r) => r.url.includes('/api/'))).toEqual([])
  })

  it('/check opens the thread with the receipt typed in lower case without dashes', async () => {
    await page.getByLabel('Receipt code').fill(receipt.replace(/-/g, '').toLowerCase())
    await page.getByRole('button', { name: 'Open my report' }).click()
    await page.getByRole('heading', { name: 'Your report', exact: true }).waitFor()
    const text = await mainText(page)
    expect(text).toContain('Sent. Nobody has replied yet.')
    expect(text).toContain('No replies yet')
    for (const v of Object.values(REPORT)) expect(text).toContain(v)
    expect(text).toContain('Racism')
    expect(text).toContain('I saw or heard it')
  })

  it('sends a follow-up sealed on this device, and shows it in the thread', async () => {
    await page.getByLabel('Add a message').fill(FOLLOWUP)
    await page.getByRole('button', { name: 'Send message' }).click()
    await page.getByText('sealed on this device and sent').waitFor()
    const thread = await page.locator('ol.thread').innerText()
    expect(thread).toContain(FOLLOWUP)
    expect(thread).toContain('You')
    // The box is emptied after sending.
    expect(await page.getByLabel('Add a message').inputValue()).toBe('')
  })

  it('the offline inbox key opens the report and the signed follow-up', () => {
    const out = expectOpensOffline(server, keyFile)
    expect(out).toContain(`Where / team:\n  │ ${REPORT.where}`)
    expect(out).toContain('Kind: Racism, Bullying or "banter"')
  })

  it('every request went to this server only, and none carried the words or the receipt', () => {
    const origin = new URL(server.url).origin
    expect(requests.length).toBeGreaterThan(5)
    const elsewhere = requests.filter((r) => new URL(r.url).origin !== origin).map((r) => r.url)
    expect(elsewhere).toEqual([])
    const apiPaths = requests.filter((r) => r.method === 'POST').map((r) => new URL(r.url).pathname)
    // After the follow-up the thread is read again, and the self-note records its new head.
    expect(apiPaths).toEqual(['/api/reports', '/api/reporter/challenge', '/api/reporter/login', '/api/reporter/messages', '/api/reporter/self-note'])
    // The bodies really were captured (an empty capture would make the check below vacuous).
    const sealed = requests.find((r) => r.url.endsWith('/api/reports'))!.body
    expect(sealed.length).toBeGreaterThan(REPORT.whatHappened.length)
    expect(JSON.parse(sealed)).toHaveProperty('envelope')
    for (const r of requests) {
      expectNoneOf(decodeURIComponent(r.url) + r.url, [...SECRET_WORDS, ...receiptForms(receipt)], `${r.method} ${r.url}`)
      expectNoneOf(r.body, [...SECRET_WORDS, ...receiptForms(receipt)], `body of ${r.method} ${r.url}`)
    }
  })

  it('neither the disk nor the server output holds the words or the receipt', () => {
    expectNoTraceOnServer(server, receipt)
  })
})
