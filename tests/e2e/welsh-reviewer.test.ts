import fs from 'node:fs'
import { englishOnly, sentenceRuns } from '../support/words'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { DESKTOP, launchChromium } from '../support/browser'
import { startServer, tempDataDir, type RunningServer } from '../support/server'
import { journey } from './helpers'
import { setupLink, virtualAuthenticator, waitForHydration } from './reviewer-helpers'

/**
 * The English sentences of the reviewer's groups that Welsh words differently: none may show on
 * a Welsh page.
 */
const ENGLISH = sentenceRuns(englishOnly(['review', 'enrol', 'members', 'triage']))

const SHOTS = '/tmp'

// A reviewer who reads Welsh, from the one-time setup link to signing in again: every page in
// Welsh, and the language carried from page to page by the address alone.
describe('reviewer pages in Welsh', () => {
  let server: RunningServer
  let browser: Browser
  let context: BrowserContext
  let page: Page
  let recovery = ''
  const errors: string[] = []
  journey()

  beforeAll(async () => {
    ;[server, browser] = await Promise.all([startServer({ dataDir: tempDataDir('candour-e2e-welsh-review-') }), launchChromium()])
    context = await browser.newContext({ viewport: DESKTOP, locale: 'en-GB' })
    context.setDefaultTimeout(15_000)
    page = await context.newPage()
    // A page whose server render and hydration disagree (a date in another language) says so here.
    page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())))
    page.on('pageerror', (e) => errors.push(e.message))
    await virtualAuthenticator(context, page, true)
  })

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
    if (server) fs.rmSync(server.dataDir, { recursive: true, force: true })
  })

  /** The page is Welsh throughout: its html lang, its address, and no English sentence of ours. */
  async function expectWelsh() {
    expect(await page.locator('html').getAttribute('lang')).toBe('cy')
    expect(new URL(page.url()).searchParams.get('lang')).toBe('cy')
    const text = await page.locator('body').innerText()
    expect(ENGLISH.filter((s) => text.includes(s))).toEqual([])
  }

  it('sets up the first reviewer in Welsh', async () => {
    const link = await setupLink(server)
    await page.goto(link.replace('#', '?lang=cy#'))
    await waitForHydration(page)
    await page.getByRole('heading', { level: 1, name: 'Gosod Candour' }).waitFor()
    expect(await page.title()).toBe('Gosod Candour')
    await expectWelsh()
    await page.screenshot({ path: `${SHOTS}/wreview-setup.png`, fullPage: true })

    await page.getByLabel('Eich enw').fill('Dafydd Adolygydd')
    await page.getByLabel('Mewnflwch cyntaf').fill('Safonau Proffesiynol')
    await page.getByRole('button', { name: 'Creu eich allwedd mynediad' }).click()
    await page.getByRole('heading', { level: 1, name: 'Eich allwedd adfer' }).waitFor()
    await expectWelsh()
    recovery = (await page.locator('[data-recovery]').getAttribute('data-recovery'))!
    await page.getByLabel('Teipiwch y ddau grŵp olaf').fill('0000-0000')
    await page.getByRole('button', { name: "Rwyf wedi'i chadw: gorffen gosod" }).click()
    await page.getByRole('alert').getByText('Dydy hynny ddim yn cyfateb i ddiwedd eich allwedd adfer.').waitFor()
    await page.getByLabel('Teipiwch y ddau grŵp olaf').fill(recovery.split('-').slice(-2).join('-'))
    await page.getByRole('button', { name: "Rwyf wedi'i chadw: gorffen gosod" }).click()

    await page.getByRole('heading', { level: 1, name: 'Helo, Dafydd Adolygydd' }).waitFor()
    await page.getByText("Mae eich allweddi wedi'u datgloi").waitFor()
    expect(await page.title()).toBe('Adolygu Candour')
    await expectWelsh()
    await expect(page.locator('main').innerText()).resolves.toContain("0 adroddiad wedi'u selio · fersiwn allwedd 1")
    await page.screenshot({ path: `${SHOTS}/wreview-home.png`, fullPage: true })
  })

  it('shows the settings in Welsh, reached by a link that keeps the language', async () => {
    await page.getByRole('link', { name: "Eich allweddi mynediad a'ch crynodeb e-bost" }).click()
    await page.getByRole('heading', { level: 1, name: 'Eich allweddi mynediad' }).waitFor()
    expect(await page.title()).toBe('Eich allweddi mynediad · Adolygu Candour')
    await expectWelsh()
    await expect(page.locator('[data-passkey]').innerText()).resolves.toContain('Defnyddiwyd ddiwethaf')
    await page.screenshot({ path: `${SHOTS}/wreview-settings.png`, fullPage: true })
  })

  it('switches to English and back without locking the keys', async () => {
    await page.getByRole('link', { name: 'Candour Adolygu' }).click()
    await page.getByRole('heading', { level: 1, name: 'Helo, Dafydd Adolygydd' }).waitFor()
    await page.getByRole('navigation', { name: 'Iaith' }).getByRole('link', { name: 'English' }).click()
    await page.getByRole('heading', { level: 1, name: 'Hello, Dafydd Adolygydd' }).waitFor()
    expect(await page.locator('html').getAttribute('lang')).toBe('en-GB')
    await page.getByText('Your keys are unlocked in this browser tab only.').waitFor()
    await page.getByRole('navigation', { name: 'Language' }).getByRole('link', { name: 'Cymraeg' }).click()
    await page.getByRole('heading', { level: 1, name: 'Helo, Dafydd Adolygydd' }).waitFor()
    await page.getByText("Mae eich allweddi wedi'u datgloi").waitFor()
    await expectWelsh()
  })

  it('shows the members and inboxes pages in Welsh, an invitation made there too', async () => {
    await page.getByRole('link', { name: 'Aelodau a gwahoddiadau' }).click()
    await page.getByRole('heading', { level: 1, name: 'Aelodau' }).waitFor()
    expect(await page.title()).toBe('Aelodau · Adolygu Candour')
    for (const name of ['Yn aros am gymeradwyaeth', 'Gwahodd adolygydd', 'Adolygwyr']) await page.getByRole('heading', { level: 2, name }).waitFor()
    await page.getByLabel('Eu henw').fill('Bethan')
    await page.getByLabel('Safonau Proffesiynol').check()
    await page.getByRole('button', { name: 'Creu dolen wahoddiad' }).click()
    await page.getByText('Rhowch y ddolen hon iddyn nhw yn breifat.', { exact: false }).waitFor()
    await expectWelsh()
    await page.screenshot({ path: `${SHOTS}/wmem-members.png`, fullPage: true })

    await page.getByRole('link', { name: 'Candour Adolygu' }).click()
    await page.getByRole('link', { name: 'Creu neu fabwysiadu mewnflwch' }).click()
    await page.getByRole('heading', { level: 1, name: 'Mewnflychau' }).waitFor()
    expect(await page.title()).toBe('Mewnflychau · Adolygu Candour')
    await page.getByRole('heading', { level: 2, name: 'Am ba hyd y cedwir adroddiadau caeedig' }).waitFor()
    await expectWelsh()
    await page.screenshot({ path: `${SHOTS}/wmem-inboxes.png`, fullPage: true })
    await page.getByRole('link', { name: '← Yn ôl at eich mewnflychau' }).click()
    await page.getByRole('heading', { level: 1, name: 'Helo, Dafydd Adolygydd' }).waitFor()
    await page.getByText("Mae eich allweddi wedi'u datgloi").waitFor()
    await expectWelsh()
  })

  it('signs out to a Welsh sign-in page, and signing in keeps Welsh', async () => {
    await page.getByRole('button', { name: 'Allgofnodi' }).click()
    await page.getByRole('heading', { level: 1, name: 'Mewngofnodi' }).waitFor()
    await page.getByText('Rydych wedi allgofnodi.').waitFor()
    expect(await page.title()).toBe('Mewngofnodi · Adolygu Candour')
    await expectWelsh()
    await waitForHydration(page)
    await page.screenshot({ path: `${SHOTS}/wreview-sign-in.png`, fullPage: true })

    await page.getByRole('button', { name: 'Mewngofnodi gydag allwedd mynediad' }).click()
    await page.getByRole('heading', { level: 1, name: 'Helo, Dafydd Adolygydd' }).waitFor()
    await page.getByText("Mae eich allweddi wedi'u datgloi").waitFor()
    await expectWelsh()
  })

  it('lists the reports in Welsh, reached from the home page with the keys still unlocked', async () => {
    await page.getByRole('link', { name: 'Eich holl adroddiadau' }).click()
    await page.locator('[data-inbox-ready]').waitFor()
    await page.getByRole('heading', { level: 1, name: 'Pob adroddiad' }).waitFor()
    expect(await page.title()).toBe('Pob adroddiad · Candour')
    await page.getByText('Dim adroddiadau eto.').waitFor()
    await page.getByRole('link', { name: "Yn ôl i'ch mewnflychau" }).waitFor()
    await expectWelsh()
    await page.screenshot({ path: `${SHOTS}/wrev2-list.png`, fullPage: true })
  })

  it('asks for the recovery key in Welsh, and says what is wrong with it in Welsh', async () => {
    await page.goto(`${server.url}/review/sign-in?lang=cy`)
    await waitForHydration(page)
    await page.getByRole('link', { name: 'Wedi colli eich holl allweddi mynediad? Defnyddiwch eich allwedd adfer' }).click()
    await page.getByRole('heading', { level: 1, name: 'Adfer mynediad' }).waitFor()
    await page.getByLabel('Allwedd adfer').fill('ABCD')
    await page.getByRole('button', { name: 'Adfer a chreu allwedd mynediad' }).click()
    await page.getByRole('alert').getByText('Dydy hynny ddim mor hir ag allwedd adfer.', { exact: false }).waitFor()
    await expectWelsh()
  })

  it('renders the settings on the server as the browser does, with no error on any page', async () => {
    await page.goto(`${server.url}/review/settings?lang=cy`)
    await waitForHydration(page)
    expect(errors).toEqual([])
    await expect(page.locator('[data-passkey]').innerText()).resolves.toMatch(
      /Defnyddiwyd ddiwethaf \d{1,2} (Ion|Chwef|Maw|Ebr|Mai|Meh|Gorff|Awst|Medi|Hyd|Tach|Rhag) \d{4}, \d{2}:\d{2} UTC/,
    )
    await expectWelsh()
  })
})
