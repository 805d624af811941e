import fs from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext, CDPSession, Page, Response } from 'playwright-core'
import { DESKTOP, launchChromium } from '../support/browser'
import { admin, errorLines, startServer, tempDataDir, type RunningServer } from '../support/server'
import { fillReport, journey, recordRequests, waitForHydration } from './helpers'
import { editB64Json, setupLink, storedCounter, virtualAuthenticator, webStorage } from './reviewer-helpers'

const NAME = 'Dana Reviewer'
const PASSPHRASE = 'correct horse battery staple'
const COOKIE = 'candour_review'

// The first admin's whole journey on a desktop, once with a PRF passkey (one touch unlocks the
// keys) and once without (passkey plus passphrase). Keys live in page memory only.
describe.each([
  { hasPrf: true, label: 'PRF passkey' },
  { hasPrf: false, label: 'passkey without PRF, plus passphrase' },
])('reviewer sign-in with a $label', ({ hasPrf }) => {
  let server: RunningServer
  let browser: Browser
  let context: BrowserContext
  let page: Page
  let cdp: CDPSession
  let authenticatorId: string
  let link = ''
  let recovery = ''
  let signInBody = ''
  let requests: ReturnType<typeof recordRequests>
  const statuses: number[] = []
  journey()

  beforeAll(async () => {
    ;[server, browser] = await Promise.all([startServer({ dataDir: tempDataDir('candour-e2e-review-') }), launchChromium()])
    link = await setupLink(server)
    context = await browser.newContext({ viewport: DESKTOP, locale: 'en-GB' })
    context.setDefaultTimeout(15_000)
    page = await context.newPage()
    requests = recordRequests(page)
    page.on('response', (r: Response) => statuses.push(r.status()))
    ;({ cdp, authenticatorId } = await virtualAuthenticator(context, page, hasPrf))
  })

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
    if (server) fs.rmSync(server.dataDir, { recursive: true, force: true })
  })

  const bodyOf = (path: string) => requests.filter((r) => r.method === 'POST' && new URL(r.url).pathname === path).map((r) => r.body)
  const sessionCookie = async () => (await context.cookies()).find((c) => c.name === COOKIE)

  /** Signs in from the sign-in page: one touch, or touch plus passphrase. */
  async function signIn(passphrase = PASSPHRASE) {
    await waitForHydration(page)
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click()
    if (!hasPrf) {
      await page.getByLabel('Unlock passphrase').fill(passphrase)
      await page.getByRole('button', { name: 'Unlock' }).click()
    }
    await page.getByText('unlocked in this browser tab').waitFor()
  }

  it('first-run setup: passkey, recovery key shown once, wrong confirmation refused', async () => {
    await page.goto(link)
    await waitForHydration(page)
    await page.getByLabel('Your name').fill(NAME)
    await page.getByLabel('First inbox').fill('Professional Standards')
    await page.getByRole('button', { name: 'Create your passkey' }).click()
    if (!hasPrf) {
      // Too short, then not repeated: each is its field's error, linked from the summary.
      const pass = page.getByLabel('Unlock passphrase')
      const again = page.getByLabel('The same passphrase again')
      await pass.fill('too short')
      await page.getByRole('button', { name: 'Continue' }).click()
      await page.locator('.error-summary a[href="#passphrase"]').waitFor()
      expect(await pass.getAttribute('aria-invalid')).toBe('true')
      await pass.fill(PASSPHRASE)
      await again.fill(`${PASSPHRASE}!`)
      await page.getByRole('button', { name: 'Continue' }).click()
      await page.locator('.error-summary a[href="#confirm"]').waitFor()
      expect([await pass.getAttribute('aria-invalid'), await again.getAttribute('aria-invalid')]).toEqual([null, 'true'])
      await again.fill(PASSPHRASE)
      await page.getByRole('button', { name: 'Continue' }).click()
    }
    recovery = (await page.locator('[data-recovery]').getAttribute('data-recovery')) ?? ''
    expect(recovery).toMatch(/^([0-9A-Z]{4}-){6}[0-9A-Z]{2}-[0-9A-Z*~$=]$/) // the check symbol may be one of *~$=U
    const groups = recovery.split('-')
    const wrong = groups
      .slice(-2)
      .map((g) => g.split('').reverse().join(''))
      .join('-')
    await page.getByLabel(/last two groups/).fill(wrong === groups.slice(-2).join('-') ? 'ZZZZ-ZZZZ' : wrong)
    await page.getByRole('button', { name: /finish setup/ }).click()
    await page.locator('.error-summary').getByText('does not match the end of your recovery key').waitFor()
    expect(bodyOf('/api/review/setup/complete')).toEqual([])
    await page.getByLabel(/last two groups/).fill(groups.slice(-2).join('-'))
    await page.getByRole('button', { name: /finish setup/ }).click()
    await page.getByRole('heading', { name: `Hello, ${NAME}` }).waitFor()
    await page.getByText('unlocked in this browser tab').waitFor()
  })

  it('the home page shows the new inbox, empty, with its identity fingerprint; the recovery key is gone', async () => {
    const main = await page.locator('main').innerText()
    expect(main).toContain('Professional Standards')
    expect(main).toContain('0 sealed reports')
    await expect(page.locator('.fingerprint code').innerText()).resolves.toMatch(/^\d{4}( \d{4}){4}$/)
    expect(await page.content()).not.toContain(recovery)
    expect(await sessionCookie()).toMatchObject({ httpOnly: true, sameSite: 'Strict' })
  })

  it('setup sent no secret: no PRF results, no recovery key, no passphrase; web storage is empty', async () => {
    const [complete] = bodyOf('/api/review/setup/complete')
    expect(JSON.parse(complete).registration.clientExtensionResults?.prf?.results).toBeUndefined()
    expect(complete).not.toContain('"results"')
    expect(await webStorage(page)).toEqual({ local: 0, session: 0, indexedDb: [] })
  })

  it('a reload locks the keys until the reviewer signs in again', async () => {
    await page.reload()
    await page.getByText('Your keys are locked').waitFor()
    await page.getByRole('link', { name: 'Unlock with your passkey' }).click()
    await page.getByRole('heading', { name: 'Sign in' }).waitFor()
    await signIn()
    await expect(page.locator('main').innerText()).resolves.toContain('0 sealed reports')
  })

  it('signing out ends the session and drops the cookie', async () => {
    const old = (await sessionCookie())!.value
    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.getByText('You have signed out').waitFor()
    expect(await sessionCookie()).toBeUndefined()
    // The server forgot the session too: the old cookie value opens nothing.
    const res = await fetch(`${server.url}/review`, { headers: { cookie: `${COOKIE}=${old}` }, redirect: 'manual' })
    expect([res.status, res.headers.get('location')]).toEqual([302, '/review/sign-in'])
    await page.goto(`${server.url}/review`)
    await page.waitForURL(/\/review\/sign-in$/)
  })

  it.runIf(!hasPrf)('a wrong passphrase is refused with a clear message', async () => {
    await waitForHydration(page)
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click()
    await page.getByLabel('Unlock passphrase').fill('wrong horse battery staple')
    await page.getByRole('button', { name: 'Unlock' }).click()
    await page.locator('.error-summary a[href="#passphrase"]').getByText('That passphrase does not unlock your keys').waitFor()
    expect(await page.getByLabel('Unlock passphrase').getAttribute('aria-invalid')).toBe('true')
    await page.getByLabel('Unlock passphrase').fill(PASSPHRASE)
    await page.getByRole('button', { name: 'Unlock' }).click()
    await page.getByText('unlocked in this browser tab').waitFor()
    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.getByText('You have signed out').waitFor()
  })

  it(hasPrf ? 'signs in again with one passkey touch' : 'signs in again with passkey and passphrase', async () => {
    const before = bodyOf('/api/review/sign-in').length
    await signIn()
    signInBody = bodyOf('/api/review/sign-in')[before]
    expect(JSON.parse(signInBody).assertion.clientExtensionResults?.prf?.results).toBeUndefined()
    expect(signInBody).not.toContain('"results"')
    expect(await sessionCookie()).toBeDefined()
    expect(await webStorage(page)).toEqual({ local: 0, session: 0, indexedDb: [] })
  })

  it('no request ever carried the recovery key or the passphrase', () => {
    const all = requests.map((r) => `${r.url}\n${r.body}`).join('\n')
    const bare = recovery.replace(/-/g, '')
    for (const secret of [recovery, bare, recovery.toLowerCase(), bare.toLowerCase(), PASSPHRASE, encodeURIComponent(PASSPHRASE)])
      expect(all.includes(secret), `a request contains ${secret}`).toBe(false)
  })

  it('a replayed sign-in is refused (challenge already used) and gives no session', async () => {
    const res = await fetch(`${server.url}/api/review/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: signInBody })
    expect(res.status).toBe(400)
    expect((await res.json()).error).toMatch(/already used/)
    expect(res.headers.get('set-cookie')).toBeNull()
  })

  it('the setup link cannot be used a second time', async () => {
    const other = await browser.newContext({ viewport: DESKTOP })
    const p = await other.newPage()
    await virtualAuthenticator(other, p, hasPrf)
    await p.goto(link)
    await waitForHydration(p)
    await p.getByLabel('Your name').fill('Mallory')
    await p.getByLabel('First inbox').fill('Another inbox')
    await p.getByRole('button', { name: 'Create your passkey' }).click()
    await p.getByText('Candour is already set up').waitFor()
    await other.close()
  })

  it('a reporter files a report to the new inbox and the reviewer home counts it', async () => {
    const reporter = await browser.newContext({ viewport: DESKTOP })
    const p = await reporter.newPage()
    await p.goto(`${server.url}/report`)
    await waitForHydration(p)
    await fillReport(p)
    await p.getByRole('button', { name: 'Continue to check your answers' }).click()
    await p.getByRole('button', { name: 'Send report' }).click()
    await p.getByRole('heading', { name: 'Your report has been sent' }).waitFor()
    await reporter.close()
    await page.goto(`${server.url}/review`)
    await expect(page.locator('main').innerText()).resolves.toContain('1 sealed report ·')
  })

  it('a sign-in whose clientDataJSON names another origin is refused with 401', async () => {
    await page.goto(`${server.url}/review/sign-in`)
    await page.route('**/api/review/sign-in', async (route) => {
      const body = JSON.parse(route.request().postData()!)
      body.assertion.response.clientDataJSON = editB64Json(body.assertion.response.clientDataJSON, (c) => (c.origin = 'http://evil.example.org'))
      await route.continue({ postData: JSON.stringify(body) })
    })
    await waitForHydration(page)
    const answer = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/review/sign-in')
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click()
    expect((await answer).status()).toBe(401)
    await expect(page.getByRole('alert').innerText()).resolves.toMatch(/could not be checked.*origin/i)
    await page.unroute('**/api/review/sign-in')
  })

  it('a signature counter that goes back is refused with 401 and an error on the page', async () => {
    const stored = await storedCounter(server.dbFile)
    expect(stored).toBeGreaterThan(1)
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId })
    expect(credentials).toHaveLength(1)
    const cred = credentials[0]
    await cdp.send('WebAuthn.removeCredential', { authenticatorId, credentialId: cred.credentialId })
    await cdp.send('WebAuthn.addCredential', { authenticatorId, credential: { ...cred, signCount: 0 } })
    await page.reload()
    await waitForHydration(page)
    const answer = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/review/sign-in')
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click()
    expect((await answer).status()).toBe(401)
    await expect(page.getByRole('alert').innerText()).resolves.toMatch(/could not be checked/)
    expect(await storedCounter(server.dbFile)).toBe(stored)
  })

  it('the audit log verifies and records the journey; nothing failed on the server', () => {
    const verify = admin(server.dataDir, ['audit:verify'])
    expect(verify.code, verify.stderr + verify.stdout).toBe(0)
    const list = admin(server.dataDir, ['audit:list'])
    expect(list.code, list.stderr).toBe(0)
    for (const action of ['reviewer.register', 'passkey.add', 'inbox.create', 'session.start', 'session.end']) expect(list.stdout).toContain(action)
    expect(statuses.filter((s) => s >= 500)).toEqual([])
    expect(errorLines(server.output())).toEqual([])
  })
})
