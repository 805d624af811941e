import fs from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { DESKTOP, launchChromium, phoneContext } from '../support/browser'
import { startServer, tempDataDir, type RunningServer } from '../support/server'
import { fillReport, FOLLOWUP, journey, receiptTail, waitForHydration } from './helpers'
import { setupLink, virtualAuthenticator } from './reviewer-helpers'

/**
 * No third party ever hears of a visit (ux.md: no third-party fonts, scripts, images or
 * analytics). Chromium walks every page, reporter pages with JavaScript on and off and reviewer
 * pages signed in with a passkey, and every request it makes is recorded (page loads, scripts,
 * styles, fetches, beacons, websockets, service workers). Any whose origin is not the server's
 * own fails the test; data: and blob: URLs stay in the browser and are fine. Foreign requests are
 * also aborted, so a failing run still sends nothing out.
 */

/**
 * Every page, by address, visited with a full page load. :inbox and :report are filled in once
 * they exist. The journeys below also post every step of the forms. A new page is one line here.
 */
const PAGES: Array<{ path: string; as: 'reporter' | 'reviewer' }> = [
  { path: '/', as: 'reporter' },
  { path: '/safer', as: 'reporter' },
  { path: '/report', as: 'reporter' },
  { path: '/check', as: 'reporter' },
  { path: '/review', as: 'reviewer' },
  { path: '/review/reports', as: 'reviewer' },
  { path: '/review/settings', as: 'reviewer' },
  { path: '/review/inboxes', as: 'reviewer' },
  { path: '/review/members', as: 'reviewer' },
  { path: '/review/inbox/:inbox', as: 'reviewer' },
  { path: '/review/report/:report', as: 'reviewer' },
  { path: '/review/invite', as: 'reviewer' },
  { path: '/review/recover', as: 'reviewer' },
  { path: '/review/sign-in', as: 'reviewer' },
  { path: '/review/setup', as: 'reviewer' },
]

// Set to a host of its own so a request to it (the page fetching the exit target) stands out.
const QUICK_EXIT_URL = 'https://neutral-exit.example/weather'
const INBOX = 'Professional Standards'
const REPLY = 'Thank you. We have read your report.'

type Seen = { url: string; kind: string; by: string }

describe('no third-party requests from any page', () => {
  let server: RunningServer
  let browser: Browser
  let reviewer: Page
  let authenticator: Awaited<ReturnType<typeof virtualAuthenticator>>
  let receipt = ''
  let inviteLink = ''
  let recoveryKey = ''
  const ids = { inbox: '', report: '' }
  const seen: Seen[] = []
  const refusedByCsp: string[] = []
  const visited: string[] = []
  journey()

  /** Records every request of a context, with websockets and service workers, and refuses foreign ones. */
  async function watched(context: BrowserContext, by: string) {
    context.setDefaultTimeout(20_000)
    context.on('request', (r) => seen.push({ url: r.url(), kind: r.resourceType(), by }))
    context.on('page', (p) => p.on('websocket', (ws) => seen.push({ url: ws.url(), kind: 'websocket', by })))
    context.on('serviceworker', (w) => seen.push({ url: w.url(), kind: 'serviceworker', by }))
    // A load the Content-Security-Policy stopped never becomes a request; the console says so.
    context.on('console', (m) => {
      if (/Content.Security.Policy/i.test(m.text())) refusedByCsp.push(`${by} ${m.location().url}: ${m.text()}`)
    })
    await context.route(
      (u) => u.origin !== server.url,
      (route) => route.abort(),
    )
    return context
  }

  const fill = (p: string) => p.replace(':inbox', ids.inbox).replace(':report', ids.report)

  /** Loads each page of one kind in full, as a fresh visit would. */
  async function visitAll(page: Page, as: 'reporter' | 'reviewer', label: string) {
    for (const { path } of PAGES.filter((p) => p.as === as)) {
      const res = await page.goto(`${server.url}${fill(path)}`, { waitUntil: 'networkidle' })
      expect(res?.status(), `${label} ${path}`).toBe(200)
      await page.locator('main').waitFor() // reviewer pages opened afresh show "keys locked", which is enough here
      if (as === 'reporter') expect(await page.locator('a.quick-exit').getAttribute('href')).toBe('/exit')
      visited.push(`${label} ${path}`)
    }
  }

  /** Shows the recovery key, retypes its end and finishes: the last step of every enrolment. */
  async function keepRecoveryKey(page: Page, finish: RegExp) {
    const code = (await page.locator('[data-recovery]').getAttribute('data-recovery')) ?? ''
    await page.getByLabel(/last two groups/).fill(code.split('-').slice(-2).join('-'))
    await page.getByRole('button', { name: finish }).click()
    return code
  }

  /** A whole report, each step a page of its own: form, check your answers, receipt, retype, done. */
  async function fileReport(page: Page, javaScript: boolean) {
    await page.goto(`${server.url}/report`)
    if (javaScript) await waitForHydration(page)
    await fillReport(page)
    await page.getByRole('button', { name: 'Continue to check your answers' }).click()
    await page.getByRole('heading', { name: 'Check your answers' }).waitFor()
    await page.getByRole('button', { name: 'Send report' }).click()
    // With JS: sealing and a proof of work first, which a busy machine can take a while over.
    await page.getByRole('heading', { name: 'Your report has been sent' }).waitFor({ timeout: 60_000 })
    const code = (await page.locator('[data-receipt]').getAttribute('data-receipt')) ?? ''
    await page.getByLabel('To check you have it, type the end of your code').fill(receiptTail(code))
    await page.getByRole('button', { name: 'I have kept my code' }).click()
    await page.getByRole('heading', { name: 'Thank you' }).waitFor()
    return code
  }

  /** "Check replies" with a receipt: the thread (with the reviewer's reply once sent), then a follow-up. */
  async function checkThread(page: Page, javaScript: boolean, code: string, replied: boolean) {
    await page.goto(`${server.url}/check`)
    if (javaScript) await waitForHydration(page)
    await page.getByLabel('Receipt code').fill(code)
    await page.getByRole('button', { name: 'Open my report' }).click()
    await page.getByRole('heading', { name: 'Your report', exact: true }).waitFor()
    if (replied) await page.getByText(REPLY).waitFor()
    await page.getByLabel('Add a message').fill(FOLLOWUP)
    await page.getByRole('button', { name: 'Send message' }).click()
    await page.getByText(javaScript ? 'sealed on this device and sent' : 'Your message was sealed and sent.').waitFor()
  }

  beforeAll(async () => {
    ;[server, browser] = await Promise.all([startServer({ dataDir: tempDataDir('candour-e2e-3p-'), env: { QUICK_EXIT_URL } }), launchChromium()])
    const context = await watched(await browser.newContext({ viewport: DESKTOP, locale: 'en-GB' }), 'reviewer')
    reviewer = await context.newPage()
    authenticator = await virtualAuthenticator(context, reviewer, true)
  })

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
    if (server) fs.rmSync(server.dataDir, { recursive: true, force: true })
  })

  it('the first admin sets up with a PRF passkey', async () => {
    await reviewer.goto(await setupLink(server))
    await waitForHydration(reviewer)
    await reviewer.getByLabel('Your name').fill('Dana Reviewer')
    await reviewer.getByLabel('First inbox').fill(INBOX)
    await reviewer.getByRole('button', { name: 'Create your passkey' }).click()
    recoveryKey = await keepRecoveryKey(reviewer, /finish setup/)
    await reviewer.getByText('unlocked in this browser tab').waitFor()
  })

  it('reporter, JavaScript on: every page, a report to its receipt, and the thread', async () => {
    const page = await (await watched(await phoneContext(browser), 'reporter-js')).newPage()
    await visitAll(page, 'reporter', 'JS on')
    receipt = await fileReport(page, true)
    await checkThread(page, true, receipt, false)
    await page.context().close()
  })

  it('reviewer: the inbox, the report, and a reply, in the unlocked tab', async () => {
    await reviewer.getByRole('link', { name: INBOX }).first().click()
    await reviewer.waitForURL(/\/review\/inbox\//)
    ids.inbox = new URL(reviewer.url()).pathname.split('/').pop()!
    const link = reviewer.locator('a[href^="/review/report/"]').first()
    await link.waitFor()
    await link.click()
    await reviewer.waitForURL(/\/review\/report\//)
    ids.report = new URL(reviewer.url()).pathname.split('/').pop()!
    await reviewer.getByLabel('Reply to the reporter').fill(REPLY)
    await reviewer.getByRole('button', { name: 'Send reply' }).click()
    await reviewer.getByText('Reply sealed in this browser and sent').waitFor()
  })

  it('reviewer: an invitation link made on the members page', async () => {
    await reviewer.goto(`${server.url}/review/members`)
    await waitForHydration(reviewer)
    await reviewer.getByLabel('Their name').fill('Bea Reviewer')
    await reviewer.getByLabel('Reviewer', { exact: false }).first().check()
    await reviewer.getByLabel(INBOX).check()
    await reviewer.getByRole('button', { name: 'Make an invitation link' }).click()
    inviteLink = (await reviewer.locator('[data-invite-link]').textContent()) ?? ''
    expect(inviteLink).toContain(`${server.url}/review/invite#`)
  })

  it('reviewer: every reviewer page, loaded in full while signed in', async () => {
    await visitAll(reviewer, 'reviewer', 'signed in')
  })

  it('reporter, JavaScript on: reads the reply', async () => {
    const page = await (await watched(await phoneContext(browser), 'reporter-js')).newPage()
    await checkThread(page, true, receipt, true)
    await page.context().close()
  })

  it('reporter, JavaScript off: every page, a report through each step, and the thread with the reply', async () => {
    const page = await (await watched(await phoneContext(browser, { javaScriptEnabled: false }), 'reporter-nojs')).newPage()
    await visitAll(page, 'reporter', 'JS off')
    const own = await fileReport(page, false)
    await checkThread(page, false, own, false)
    await checkThread(page, false, receipt, true)
    await page.context().close()
  })

  it('an invitee enrols through the invitation link with their own passkey', async () => {
    const context = await watched(await browser.newContext({ viewport: DESKTOP, locale: 'en-GB' }), 'invitee')
    const page = await context.newPage()
    await virtualAuthenticator(context, page, true)
    await page.goto(inviteLink)
    await page.getByRole('button', { name: 'Create your passkey' }).click()
    await keepRecoveryKey(page, /finish enrolling/)
    await page.getByRole('heading', { name: 'Waiting for approval' }).waitFor()
    await context.close()
  })

  it('the reviewer signs out, signs in again, and recovers with the recovery key', async () => {
    await reviewer.goto(`${server.url}/review`)
    await reviewer.getByRole('button', { name: 'Sign out' }).click()
    await reviewer.getByText('You have signed out').waitFor()
    await reviewer.getByRole('button', { name: 'Sign in with a passkey' }).click()
    await reviewer.getByText('unlocked in this browser tab').waitFor()
    await reviewer.getByRole('button', { name: 'Sign out' }).click()
    await reviewer.getByText('You have signed out').waitFor()
    // Recovery is for a reviewer who lost every passkey: a new authenticator, as on a new laptop.
    await authenticator.cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId: authenticator.authenticatorId })
    authenticator = await virtualAuthenticator(reviewer.context(), reviewer, true)
    await reviewer.goto(`${server.url}/review/recover`)
    await waitForHydration(reviewer)
    await reviewer.getByLabel('Recovery key').fill(recoveryKey)
    await reviewer.getByRole('button', { name: 'Recover and create a passkey' }).click()
    await reviewer.getByText('This is a new recovery key.').waitFor()
    await keepRecoveryKey(reviewer, /Save and sign in/)
    await reviewer.getByText('unlocked in this browser tab').waitFor()
  })

  it('every request went to the server itself: nothing to another origin, no websocket, no service worker', () => {
    const origin = new URL(server.url).origin
    const foreign = seen.filter((r) => !/^(data|blob):/.test(r.url) && new URL(r.url).origin !== origin)
    expect(foreign.map((r) => `${r.by} ${r.kind} ${r.url}`)).toEqual([])
    expect(seen.filter((r) => r.kind === 'websocket' || r.kind === 'serviceworker')).toEqual([])
    // Nor did any page try and get stopped by the policy (that would be a bug the CSP hides).
    expect(refusedByCsp).toEqual([])
    // The walk really happened: every page both ways, scripts (libsodium's too) and API calls.
    expect(visited).toHaveLength(PAGES.filter((p) => p.as === 'reporter').length * 2 + PAGES.filter((p) => p.as === 'reviewer').length)
    const own = seen.map((r) => new URL(r.url).pathname)
    expect(own.filter((p) => p.startsWith('/build/') && p.endsWith('.js')).length).toBeGreaterThan(10)
    for (const api of [
      '/api/reports',
      '/api/reporter/login',
      '/api/reporter/messages',
      '/api/review/sign-in',
      '/api/review/triage/reply',
      '/api/review/invite/complete',
      '/api/review/recover/complete',
    ])
      expect(own, api).toContain(api)
  })

  it('the quick exit is a link to /exit that no page followed or fetched by itself', () => {
    const exit = new URL(QUICK_EXIT_URL)
    expect(seen.filter((r) => r.url.startsWith(`${exit.origin}`) || new URL(r.url, server.url).pathname === '/exit')).toEqual([])
  })
})
