import fs from 'node:fs'
import sqlite3 from 'sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { launchChromium, phoneContext } from '../support/browser'
import { startServer, tempDataDir, type RunningServer } from '../support/server'
import { fillReport, journey, waitForHydration } from './helpers'
import { reviewerPage, setupLink } from './reviewer-helpers'

/** Screens a person would see, kept for looking at (tests/.artifacts is not committed). */
const shot = (name: string) => `tests/.artifacts/screens/${name}.png`

const INBOX = 'Professional Standards'

// An admin invites Bea, approves her after comparing fingerprints, a report reaches both, then
// Bea is removed: her session dies and the inbox rotates to a key she never receives. One browser
// context (and virtual authenticator) per person, as on their own machines.
describe('inviting, approving and removing a reviewer', () => {
  let server: RunningServer
  let browser: Browser
  const contexts: BrowserContext[] = []
  let ada: Page
  let bea: Page
  let cy: Page
  let dan: Page
  let link = ''
  let beaPrint = ''
  let adaPrint = ''
  let identityPrint = ''
  journey()

  async function person(hasPrf = true): Promise<Page> {
    const page = await reviewerPage(browser, hasPrf)
    contexts.push(page.context())
    return page
  }

  /** Shows the recovery key, retypes its end and finishes: the last step of every enrolment. */
  async function keepRecoveryKey(page: Page, finish: RegExp) {
    const code = (await page.locator('[data-recovery]').getAttribute('data-recovery')) ?? ''
    await page.getByLabel(/last two groups/).fill(code.split('-').slice(-2).join('-'))
    await page.getByRole('button', { name: finish }).click()
  }

  /** Client-side navigation only: a reload would drop the keys kept in page memory. */
  async function go(page: Page, name: string | RegExp) {
    await page.getByRole('link', { name }).first().click()
  }

  /** Ada makes an invitation link on her members page (reached client-side). */
  async function invite(name: string, role: 'Reviewer' | 'Admin') {
    await go(ada, /Candour/)
    await go(ada, 'Members and invitations')
    await ada.getByLabel('Their name').fill(name)
    await ada.getByLabel(role, { exact: false }).first().check()
    await ada.getByLabel(INBOX).check()
    await ada.getByRole('button', { name: 'Make an invitation link' }).click()
    return (await ada.locator('[data-invite-link]').textContent()) ?? ''
  }

  /** Someone enrols from a link with a PRF passkey and lands on their waiting home page. */
  async function enrol(page: Page, invitation: string, name: string) {
    await page.goto(invitation)
    await page.getByRole('button', { name: 'Create your passkey' }).click()
    await keepRecoveryKey(page, /finish enrolling/)
    await page.getByRole('heading', { name: `Hello, ${name}` }).waitFor()
    await page.getByRole('heading', { name: 'Waiting for approval' }).waitFor()
  }

  async function fileReport() {
    const phone = await phoneContext(browser)
    contexts.push(phone)
    const page = await phone.newPage()
    await page.goto(`${server.url}/report`)
    await waitForHydration(page)
    await fillReport(page)
    await page.getByRole('button', { name: 'Continue to check your answers' }).click()
    await page.getByRole('button', { name: 'Send report' }).click()
    await page.getByRole('heading', { name: 'Your report has been sent' }).waitFor()
    await phone.close()
  }

  /** Rows from the server's database, through a read-only connection. */
  function dbAll(sql: string): Promise<unknown[]> {
    return new Promise((resolve, reject) => {
      const db = new sqlite3.Database(server.dbFile, sqlite3.OPEN_READONLY, (err) => {
        if (err) return reject(err)
        db.all(sql, (e, rows) => {
          db.close()
          if (e) reject(e)
          else resolve(rows)
        })
      })
    })
  }
  const reportVersions = async () =>
    ((await dbAll('SELECT key_version FROM reports ORDER BY key_version')) as Array<{ key_version: number }>).map((r) => r.key_version)

  beforeAll(async () => {
    ;[server, browser] = await Promise.all([startServer({ dataDir: tempDataDir('candour-e2e-invites-') }), launchChromium()])
    ada = await person()
    bea = await person(false) // Bea's authenticator has no PRF: she unlocks with a passphrase
  })

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
    if (server) fs.rmSync(server.dataDir, { recursive: true, force: true })
  })

  it('the first admin sets up and invites Bea as a reviewer of the first inbox', async () => {
    await ada.goto(await setupLink(server))
    await waitForHydration(ada)
    await ada.getByLabel('Your name').fill('Ada Admin')
    await ada.getByLabel('First inbox').fill(INBOX)
    await ada.getByRole('button', { name: 'Create your passkey' }).click()
    await keepRecoveryKey(ada, /finish setup/)
    await ada.getByText('unlocked in this browser tab').waitFor()
    await go(ada, 'Members and invitations')
    await ada.getByLabel('Their name').fill('Bea Reviewer')
    await ada.getByLabel(INBOX).check()
    await ada.getByRole('button', { name: 'Make an invitation link' }).click()
    link = (await ada.locator('[data-invite-link]').textContent()) ?? ''
    expect(link).toMatch(new RegExp(`^${server.url}/review/invite#[A-Za-z0-9_-]{43}$`))
    await expect(ada.getByRole('button', { name: 'Copy link' }).isVisible()).resolves.toBe(true)
    await ada.screenshot({ path: shot('desktop-review-members-invite'), fullPage: true })
  })

  it('Bea enrols from the link and waits for approval, showing her fingerprint', async () => {
    await bea.goto(link)
    await bea.getByText('You are invited as').waitFor()
    expect(await bea.locator('main').innerText()).toContain(INBOX)
    await bea.getByRole('button', { name: 'Create your passkey' }).click()
    await bea.getByLabel('Unlock passphrase').fill('bea correct horse battery')
    await bea.getByLabel('The same passphrase again').fill('bea correct horse battery')
    await bea.getByRole('button', { name: 'Continue' }).click()
    await keepRecoveryKey(bea, /finish enrolling/)
    await bea.getByRole('heading', { name: 'Hello, Bea Reviewer' }).waitFor()
    await bea.getByRole('heading', { name: 'Waiting for approval' }).waitFor()
    expect(await bea.locator('main').innerText()).toContain(`${INBOX}: waiting for approval`)
    beaPrint = (await bea.locator('[data-own-fingerprint]').textContent()) ?? ''
    await bea.screenshot({ path: shot('desktop-review-waiting'), fullPage: true })
    expect(beaPrint).toMatch(/^\d{4}( \d{4}){4}$/)
    // Used once: the link is dead now.
    const again = await bea.context().newPage()
    await again.goto(link)
    await again.getByText('has been used or has expired').waitFor()
    await again.close()
  })

  it('the admin sees the same fingerprint and approves, sealing the inbox keys in her browser', async () => {
    await go(ada, /Candour/)
    await go(ada, 'Members and invitations')
    const card = ada.locator('[data-request="Bea Reviewer"]')
    await expect.poll(() => card.locator('[data-fingerprint]').textContent()).toBe(beaPrint)
    // Ada reads hers back: Bea's browser will ask Bea to check it before it opens the inbox.
    // At the top of the page, to read now and again to anyone approved long ago.
    adaPrint = (await ada.locator('[data-own-print] code').textContent()) ?? ''
    expect(adaPrint).toMatch(/^\d{4}( \d{4}){4}$/)
    await ada.screenshot({ path: shot('desktop-review-approve'), fullPage: true })
    await card.getByRole('button', { name: 'Approve' }).click()
    await ada.getByText(`Bea Reviewer can now open ${INBOX}.`).waitFor()
    await ada.getByText('Nobody is waiting to join your inboxes.').waitFor()
  })

  it('Bea signs in again and opens the inbox, with the same identity fingerprint as the admin', async () => {
    await bea.getByRole('button', { name: 'Sign out' }).click()
    await waitForHydration(bea)
    await bea.getByRole('button', { name: 'Sign in with a passkey' }).click()
    await bea.getByLabel('Unlock passphrase').fill('bea correct horse battery')
    await bea.getByRole('button', { name: 'Unlock' }).click()
    await bea.getByText('unlocked in this browser tab').waitFor()
    expect(await bea.locator('main').innerText()).not.toContain('Waiting for approval')
    // First sight: the inbox waits until Bea says Ada's fingerprint is the one Ada read her.
    const check = bea.locator('[data-grant-check]')
    await check.getByRole('heading', { name: `Check who let you into “${INBOX}”` }).waitFor()
    expect(await check.innerText()).toContain('Ada Admin approved you.')
    expect(await check.locator('[data-approver-fingerprint]').textContent()).toBe(adaPrint)
    expect(await bea.locator('main').innerText()).not.toContain('Identity fingerprint')
    await bea.screenshot({ path: shot('desktop-review-grant-check'), fullPage: true })
    await check.getByRole('button', { name: 'It matches: use this inbox' }).click()
    await check.waitFor({ state: 'detached' })
    await bea.locator('.card .fingerprint code').first().waitFor()
    const beaIdentity = (await bea.locator('.card .fingerprint code').first().textContent()) ?? ''
    await go(ada, /Candour/)
    await ada.getByRole('heading', { name: 'Your inboxes' }).waitFor()
    identityPrint = (await ada.locator('.card .fingerprint code').first().textContent()) ?? ''
    expect(identityPrint).toMatch(/^\d{4}( \d{4}){4}$/)
    expect(beaIdentity).toBe(identityPrint)
  })

  it('a report filed from a phone reaches both reviewers', async () => {
    await fileReport()
    await go(ada, /Candour/)
    await ada.getByText('1 sealed report').waitFor()
    await go(bea, /Candour/)
    await bea.getByText('1 sealed report').waitFor()
    expect(await reportVersions()).toEqual([1])
  })

  it('removing Bea ends her session at once and rotates the inbox key in the admin’s browser', async () => {
    await go(ada, 'Members and invitations')
    const card = ada.locator('[data-reviewer="Bea Reviewer"]')
    await card.getByRole('button', { name: 'Remove' }).click()
    await card.getByRole('button', { name: 'Confirm: remove Bea Reviewer' }).click()
    await ada.getByText('Bea Reviewer was removed').waitFor()
    await ada.getByText(`Keys for ${INBOX} rotated: new reports use key version 2.`).waitFor()
    // Bea's still-open tab: its API calls are refused and its next page load goes to sign-in.
    const status = await bea.evaluate(() =>
      fetch('/api/review/members/decline', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"inboxId":"x","reviewerId":"y"}' }).then(
        (r) => r.status,
      ),
    )
    expect(status).toBe(401)
    await go(bea, /Candour/)
    await bea.waitForURL(/\/review\/sign-in$/)
    // Her passkey is gone from the server too.
    await waitForHydration(bea)
    await bea.getByRole('button', { name: 'Sign in with a passkey' }).click()
    await bea.getByText('not registered here').waitFor()
  })

  it('the admin’s home shows key version 2, and the next report is sealed to it', async () => {
    await go(ada, /Candour/)
    await ada.getByText('1 sealed report · key version 2').waitFor()
    expect((await ada.locator('.card .fingerprint code').first().textContent()) ?? '').toBe(identityPrint)
    await fileReport()
    expect(await reportVersions()).toEqual([1, 2])
  })

  it('an admin who is not a member cannot approve; the member declines them and approves Dan with every key version', async () => {
    cy = await person()
    dan = await person()
    await enrol(cy, await invite('Cy Admin', 'Admin'), 'Cy Admin')
    await enrol(dan, await invite('Dan Reviewer', 'Reviewer'), 'Dan Reviewer')
    // Cy is an admin but holds no keys of the inbox: nothing to approve from her page.
    await go(cy, 'Members and invitations')
    await cy.getByText('Nobody is waiting to join your inboxes.').waitFor()
    await go(ada, /Candour/)
    await go(ada, 'Members and invitations')
    await ada.locator('[data-request="Cy Admin"]').getByRole('button', { name: 'Decline' }).click()
    await ada.getByText(`Declined Cy Admin for ${INBOX}.`).waitFor()
    // Versions 1 and 2 from this tab's memory: the rotation above kept version 2 without a sign-in.
    await ada.locator('[data-request="Dan Reviewer"]').getByRole('button', { name: 'Approve' }).click()
    await ada.getByText(`Dan Reviewer can now open ${INBOX}.`).waitFor()
    expect(
      await dbAll("SELECT key_version FROM inbox_key_wraps WHERE reviewer_id = (SELECT id FROM reviewers WHERE display_name = 'Dan Reviewer') ORDER BY 1"),
    ).toEqual([{ key_version: 1 }, { key_version: 2 }])
  })

  it('when a non-member admin removes Dan, the member’s home page rotates the key on its next load', async () => {
    await go(cy, /Candour/)
    await go(cy, 'Members and invitations')
    const card = cy.locator('[data-reviewer="Dan Reviewer"]')
    await card.getByRole('button', { name: 'Remove' }).click()
    await card.getByRole('button', { name: 'Confirm: remove Dan Reviewer' }).click()
    await cy.getByText('Dan Reviewer was removed').waitFor()
    expect(await cy.locator('main').innerText()).not.toContain('rotated')
    await go(ada, /Candour/)
    await ada.getByText(`Keys for ${INBOX} rotated: new reports use key version 3.`).waitFor()
    await ada.getByText('2 sealed reports · key version 3').waitFor()
    await fileReport()
    expect(await reportVersions()).toEqual([1, 2, 3])
    expect(await dbAll('SELECT COUNT(*) AS n FROM rotation_due')).toEqual([{ n: 0 }])
  })
})
