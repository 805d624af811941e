import fs from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core'
import { formatCode, newRecoveryCode, ready } from '../../crypto/index'
import { DESKTOP, launchChromium } from '../support/browser'
import { countRows } from '../support/http'
import { startServer, tempDataDir, type RunningServer } from '../support/server'
import { journey, recordRequests, waitForHydration, withTypo } from './helpers'
import { setupLink } from './reviewer-helpers'

const NAME = 'Dana Reviewer'
const PASSPHRASE = 'correct horse battery staple'

// A reviewer's passkeys over time: a second one from another authenticator, sign-in with it,
// removing the first, refusing to remove the last, and recovery after losing them all.
describe('reviewer passkey settings and recovery', () => {
  let server: RunningServer
  let browser: Browser
  let context: BrowserContext
  let page: Page
  let cdp: CDPSession
  let requests: ReturnType<typeof recordRequests>
  let recovery = ''
  const statuses: Array<[string, number]> = []
  const authenticators: string[] = []
  journey()

  /**
   * Another CDP virtual authenticator. Only the newest answers: every older one has presence
   * simulation off, so it never responds and cannot answer (or refuse) a ceremony meant for another.
   */
  async function newAuthenticator(hasPrf: boolean): Promise<string> {
    for (const id of authenticators) await cdp.send('WebAuthn.setAutomaticPresenceSimulation', { authenticatorId: id, enabled: false })
    const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        ctap2Version: 'ctap2_1',
        transport: 'usb', // Chrome allows only one 'internal' authenticator at a time
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        hasPrf,
        automaticPresenceSimulation: true,
      } as any,
    })
    authenticators.push(authenticatorId)
    return authenticatorId
  }

  async function removeAllAuthenticators() {
    for (const id of authenticators.splice(0)) await cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId: id })
  }

  const credentialsOn = async (authenticatorId: string) => (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials.length

  const posts = (path: string) => requests.filter((r) => r.method === 'POST' && new URL(r.url).pathname === path).length
  const cards = () => page.locator('[data-passkey]')

  async function signOut() {
    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.getByText('You have signed out').waitFor()
  }

  async function recoverWith(code: string) {
    await page.goto(`${server.url}/review/recover`)
    await waitForHydration(page)
    await page.getByLabel('Recovery key').fill(code)
    await page.getByRole('button', { name: 'Recover and create a passkey' }).click()
  }

  beforeAll(async () => {
    await ready()
    ;[server, browser] = await Promise.all([startServer({ dataDir: tempDataDir('candour-e2e-settings-') }), launchChromium()])
    context = await browser.newContext({ viewport: DESKTOP, locale: 'en-GB' })
    context.setDefaultTimeout(15_000)
    page = await context.newPage()
    requests = recordRequests(page)
    page.on('response', (r) => statuses.push([new URL(r.url()).pathname, r.status()]))
    cdp = await context.newCDPSession(page)
    await cdp.send('WebAuthn.enable')
  })

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
    if (server) fs.rmSync(server.dataDir, { recursive: true, force: true })
  })

  it('sets up the first admin through the UI and keeps the recovery key', async () => {
    const link = await setupLink(server)
    await newAuthenticator(true)
    await page.goto(link)
    await waitForHydration(page)
    await page.getByLabel('Your name').fill(NAME)
    await page.getByLabel('First inbox').fill('Professional Standards')
    await page.getByRole('button', { name: 'Create your passkey' }).click()
    recovery = (await page.locator('[data-recovery]').getAttribute('data-recovery')) ?? ''
    await page.getByLabel(/last two groups/).fill(recovery.split('-').slice(-2).join('-'))
    await page.getByRole('button', { name: /finish setup/ }).click()
    await page.getByText('unlocked in this browser tab').waitFor()
  })

  it('adds a second passkey from another authenticator (no PRF: with a passphrase)', async () => {
    const second = await newAuthenticator(false)
    await page.getByRole('link', { name: 'Your passkeys' }).click()
    await page.getByRole('heading', { name: 'Your passkeys' }).waitFor()
    await waitForHydration(page)
    expect(await cards().count()).toBe(1)
    await page.getByRole('button', { name: 'Add a passkey' }).click()
    await page.getByLabel('Unlock passphrase').fill(PASSPHRASE)
    await page.getByLabel('The same passphrase again').fill(PASSPHRASE)
    await page.getByRole('button', { name: 'Continue' }).click()
    await page.getByText('Passkey added').waitFor()
    await expect.poll(() => cards().count()).toBe(2)
    expect(await credentialsOn(second)).toBe(1)
    const text = await cards().nth(1).innerText()
    expect(text).toContain('Last used never')
    expect(text).toContain('with a passphrase')
  })

  it('signs in with the second passkey, which unlocks the keys; the list shows both with last use', async () => {
    await signOut()
    await waitForHydration(page)
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click()
    await page.getByLabel('Unlock passphrase').fill(PASSPHRASE)
    await page.getByRole('button', { name: 'Unlock' }).click()
    await page.getByText('unlocked in this browser tab').waitFor()
    await page.getByRole('link', { name: 'Your passkeys' }).click()
    await expect.poll(() => cards().count()).toBe(2)
    const [first, second] = [await cards().nth(0).innerText(), await cards().nth(1).innerText()]
    for (const t of [first, second]) expect(t).toMatch(/Last used \d{1,2} \w{3} \d{4}, \d{2}:\d{2} UTC/)
    expect(first).toContain('by itself (passkey PRF)')
    expect(first).toContain('A security key') // the transport the authenticator reported (usb)
    expect(first).not.toContain('used for this session')
    expect(second).toContain('used for this session')
    // Where a passkey was used is never kept: no IP address, no browser details.
    const main = await page.locator('main').innerText()
    expect(main).not.toMatch(/127\.0\.0\.1|::1|Chrome|Mozilla|HeadlessChrome/)
  })

  it('removes the first passkey, then refuses to remove the last', async () => {
    await page.getByRole('button', { name: 'Remove passkey 1' }).click()
    await page.getByText('Passkey removed').waitFor()
    await expect.poll(() => cards().count()).toBe(1)
    expect(await cards().first().innerText()).toContain('used for this session')
    await page.getByRole('button', { name: 'Remove passkey 1' }).click()
    await page.getByText('This is your only passkey, so it cannot be removed').waitFor()
    expect(statuses.filter(([p]) => p === '/api/review/passkeys/remove').map(([, s]) => s)).toEqual([200, 409])
    expect(await cards().count()).toBe(1)
  })

  it('after a reload the keys are locked, so adding a passkey first asks to unlock', async () => {
    await page.reload()
    await waitForHydration(page)
    await page.getByText('Your keys are locked in this tab').waitFor()
    expect(await page.getByRole('button', { name: 'Add a passkey' }).count()).toBe(0)
    expect(await page.getByRole('link', { name: 'Unlock with your passkey' }).getAttribute('href')).toBe('/review/sign-in')
  })

  it('recovery refuses a recovery key with a typo before asking the server', async () => {
    await signOut()
    await removeAllAuthenticators()
    await newAuthenticator(true)
    await page.getByRole('link', { name: /Use your recovery key/ }).click()
    await page.getByRole('heading', { name: 'Recover access' }).waitFor()
    await recoverWith(withTypo(recovery))
    await page.locator('.error-summary').getByText('This code has a typo').waitFor()
    expect(posts('/api/review/recover/options')).toBe(0)
  })

  it('recovery refuses a wrong recovery key without enrolling anything', async () => {
    const before = await countRows(server.dbFile, 'passkeys')
    await recoverWith(formatCode(newRecoveryCode()))
    await page.getByText('No reviewer here has this recovery key').waitFor()
    expect(posts('/api/review/recover/complete')).toBe(0)
    expect(await credentialsOn(authenticators[0])).toBe(0)
    expect(await countRows(server.dbFile, 'passkeys')).toBe(before)
  })

  /** After the new passkey, a new recovery key replaces the used one: kept, confirmed, then saved. */
  async function keepNewRecoveryKey(): Promise<string> {
    await page.getByText('This is a new recovery key.').waitFor()
    const code = (await page.locator('[data-recovery]').getAttribute('data-recovery')) ?? ''
    expect(code).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4})+/)
    await page.getByLabel(/last two groups/).fill(code.split('-').slice(0, 2).join('-'))
    await page.getByRole('button', { name: 'Save and sign in' }).click()
    await page.locator('.error-summary').getByText('That does not match the end of your recovery key.').waitFor()
    expect(posts('/api/review/recover/complete')).toBe(completes)
    await page.getByLabel(/last two groups/).fill(code.split('-').slice(-2).join('-'))
    await page.getByRole('button', { name: 'Save and sign in' }).click()
    await page.getByText('unlocked in this browser tab').waitFor()
    completes += 1
    return code
  }
  let completes = 0
  const renewed: string[] = []

  it('the recovery key enrols a new passkey, is replaced by a new one, and unlocks the keys', async () => {
    await recoverWith(recovery.toLowerCase())
    await page.getByText('This is a new recovery key.').waitFor()
    await page.screenshot({ path: 'tests/.artifacts/screens/desktop-recovery-new-key.png' })
    renewed.push(await keepNewRecoveryKey())
    expect(renewed[0]).not.toBe(recovery)
    await page.getByRole('heading', { name: `Hello, ${NAME}` }).waitFor()
    await page.getByText('unlocked in this browser tab').waitFor()
    expect(await credentialsOn(authenticators[0])).toBe(1)
    await page.getByRole('link', { name: 'Your passkeys' }).click()
    await expect.poll(() => cards().count()).toBe(2)
    expect(await cards().nth(1).innerText()).toContain('used for this session')
  })

  it('the used recovery key no longer finds anyone; the new one recovers onto a passkey without PRF (and is replaced in turn)', async () => {
    await signOut()
    await removeAllAuthenticators()
    await newAuthenticator(false)
    await recoverWith(recovery)
    await page.getByText('No reviewer here has this recovery key').waitFor()
    await recoverWith(renewed[0])
    await page.getByLabel('Unlock passphrase').fill(PASSPHRASE)
    await page.getByLabel('The same passphrase again').fill(PASSPHRASE)
    await page.getByRole('button', { name: 'Continue' }).click()
    renewed.push(await keepNewRecoveryKey())
    expect(await countRows(server.dbFile, 'passkeys')).toBe(3)
  })

  it('no secret travelled: no PRF output, recovery key or passphrase in any request; no server error', () => {
    const bodies = requests.filter((r) => r.method === 'POST').map((r) => r.body)
    expect(bodies.filter((b) => b.includes('"keyWrap"')).length).toBeGreaterThanOrEqual(4) // setup, add, two recoveries
    const secrets = [recovery, ...renewed].flatMap((code) => [code, code.replace(/-/g, ''), code.replace(/-/g, '').toLowerCase()])
    expect(secrets).toHaveLength(9)
    for (const b of bodies) {
      expect(b).not.toContain('"results"')
      for (const secret of [...secrets, PASSPHRASE]) expect(b).not.toContain(secret)
    }
    expect(statuses.filter(([, s]) => s >= 500)).toEqual([])
  })
})
