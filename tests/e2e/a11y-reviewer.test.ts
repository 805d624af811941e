import fs from 'node:fs'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ready } from '../../crypto/index'
import { newSignKeyPair } from '../../crypto/keys'
import { DESKTOP, PHONE, launchChromium } from '../support/browser'
import { sqlAll } from '../support/review-api'
import { startServer, tempDataDir, type RunningServer } from '../support/server'
import { addServerVersion } from '../support/key-log'
import { axeLightAndDark } from './axe'
import { fileSealedReport, follow, setUpFirstReviewer, virtualAuthenticator, waitForHydration } from './reviewer-helpers'

/**
 * axe-core over every reviewer page and state a reviewer meets: an empty inbox and a full one, a
 * report opened and worked on (status, reply, note, a refused change), the case-file copy, every
 * settings page with something in it (an invitation made, a colleague waiting for approval), an
 * inbox whose keys do not verify, and the locked, timed-out and signed-out pages. Each in the
 * light theme and the dark one on a desktop, and the daily pages again at phone width. Any
 * violation fails, and so does anything wider than the screen.
 */
const INBOX = 'Professional Standards'
const CHAT = '12/03/2024, 21:15 - Sgt Example: that was only banter\n12/03/2024, 21:16 - PC Example: it was not funny\n'

let server: RunningServer
let browser: Browser
let context: BrowserContext
let dana: Page
let reportId = ''

const db = <T = any>(sql: string, params: unknown[] = []) => sqlAll<T>(server.dbFile, sql, params)

async function home(page: Page = dana) {
  await follow(page, /Candour/)
  await page.getByRole('heading', { name: /^Hello, / }).waitFor()
}

async function openInbox(page: Page = dana) {
  await home(page)
  await follow(page, INBOX)
  await page.locator('[data-inbox-ready]').waitFor()
}

async function openReport(page: Page = dana) {
  await openInbox(page)
  await page.locator('[data-report]:not([data-unreadable]) h2 a').first().click()
  await page.getByRole('heading', { name: 'Who opened this' }).waitFor()
}

/** A field's error as reporter forms show it: said with the field, which is marked invalid. */
async function expectFieldError(page: Page, id: string): Promise<string> {
  const field = page.locator(`#${id}`)
  expect(await field.getAttribute('aria-invalid')).toBe('true')
  expect((await field.getAttribute('aria-describedby'))?.split(' ')).toContain(`${id}-error`)
  return page.locator(`#${id}-error`).innerText()
}

/** ...and in the error summary, whose entry links to the field and moves focus to it. */
async function expectLinkedError(page: Page, id: string) {
  const link = page.locator(`.error-summary a[href="#${id}"]`)
  expect(await expectFieldError(page, id)).toContain(await link.innerText())
  await link.click()
  expect(await page.evaluate(() => document.activeElement?.id)).toBe(id)
}

async function signOutAndIn() {
  await dana.getByRole('button', { name: 'Sign out' }).click()
  await dana.getByText('You have signed out').waitFor()
  await waitForHydration(dana)
  await dana.getByRole('button', { name: 'Sign in with a passkey' }).click()
  await dana.getByRole('heading', { name: /^Hello, / }).waitFor()
}

describe('accessibility: axe finds nothing on any reviewer page, in any state, light or dark', () => {
  beforeAll(async () => {
    await ready()
    ;[server, browser] = await Promise.all([startServer({ dataDir: tempDataDir('candour-e2e-a11y-review-') }), launchChromium()])
    context = await browser.newContext({ viewport: DESKTOP, locale: 'en-GB' })
    context.setDefaultTimeout(15_000)
    dana = await context.newPage()
    await virtualAuthenticator(context, dana, true)
    await setUpFirstReviewer(dana, server, { name: 'Dana Reviewer', inbox: INBOX })
  })
  afterAll(async () => {
    await browser?.close()
    await server?.stop()
    if (server) fs.rmSync(server.dataDir, { recursive: true, force: true })
  })

  it('setup finished, home and an empty inbox', async () => {
    const found = await axeLightAndDark(dana, 'setup finished')
    await home()
    found.push(...(await axeLightAndDark(dana, 'home')))
    await openInbox()
    await dana.getByText('No reports yet.').waitFor()
    found.push(...(await axeLightAndDark(dana, 'inbox, empty')))
    expect(found).toEqual([])
  })

  it('an inbox with reports, filtered to none, and all reports', async () => {
    await fileSealedReport(server, { categories: ['racism', 'bullying'], whatHappened: 'Seen in the canteen', role: 'witness' })
    await fileSealedReport(server, { categories: ['sexism'], whatHappened: 'Said at the briefing', role: 'targeted', when: 'Last week' })
    // One that opens but is not a well-formed report: listed as unreadable, with a delete for admins.
    await fileSealedReport(server, { whatHappened: '' })
    await openInbox()
    await dana.locator('[data-report][data-unreadable]').waitFor()
    await dana.locator('[data-report]').nth(2).waitFor()
    const found = await axeLightAndDark(dana, 'inbox with reports')
    await dana.getByLabel('Search the reports').fill('no report says this')
    await dana.locator('[role="status"][data-count="0"]').waitFor()
    found.push(...(await axeLightAndDark(dana, 'inbox, filtered to no match')))
    await follow(dana, 'All your reports')
    await dana.locator('[data-inbox-ready]').waitFor()
    found.push(...(await axeLightAndDark(dana, 'all reports')))
    expect(found).toEqual([])
  })

  it('a report opened, acknowledged, a change refused, a reply and a note, and the case-file copy', async () => {
    await openReport()
    reportId = dana.url().split('/').pop()!
    const found = await axeLightAndDark(dana, 'report opened')
    await dana.getByRole('button', { name: 'Acknowledge' }).click()
    await dana.getByText('Status changed.').waitFor()
    found.push(...(await axeLightAndDark(dana, 'report acknowledged')))
    // A failed action: the status form sent without a new status is refused on the page.
    await dana.getByRole('button', { name: 'Change status' }).click()
    await dana.getByRole('alert').filter({ hasText: 'Choose the new status.' }).waitFor()
    expect(await expectFieldError(dana, 'status-to')).toContain('Choose the new status.')
    await expectLinkedError(dana, 'status-to')
    found.push(...(await axeLightAndDark(dana, 'status change refused')))
    await dana.getByLabel('Change the status').selectOption({ label: 'Closed' })
    await dana.getByLabel('Outcome').waitFor()
    found.push(...(await axeLightAndDark(dana, 'closing, outcome asked')))
    await dana.getByLabel('Change the status').selectOption('')
    await dana.getByLabel('Reply to the reporter').fill('Thank you. We are looking into it.')
    // A chat export with the reply: the thread then shows it as a conversation, searchable.
    await dana.locator('#reply-files').setInputFiles({ name: 'WhatsApp Chat with Shift B.txt', mimeType: 'text/plain', buffer: Buffer.from(CHAT) })
    await dana.locator('.file-row[data-state="done"]').waitFor()
    found.push(...(await axeLightAndDark(dana, 'reply with a file ready')))
    await dana.getByRole('button', { name: 'Send reply' }).click()
    await dana.getByText('Reply sealed in this browser and sent.').waitFor()
    await dana.locator('[data-chat]').waitFor()
    found.push(...(await axeLightAndDark(dana, 'reply sent, with a chat export')))
    await dana.getByLabel('Internal note').fill('Spoke to the duty inspector.')
    await dana.getByRole('button', { name: 'Add note' }).click()
    await dana.getByText('Internal note saved.').waitFor()
    found.push(...(await axeLightAndDark(dana, 'internal note added')))
    // Past the limit as a citation can take it (maxLength stops only typing): refused at the box, words kept.
    const tooLong = 'x'.repeat(10_001)
    await dana.locator('#note').evaluate((box: HTMLTextAreaElement, text) => (box.value = text), tooLong)
    await dana.getByRole('button', { name: 'Add note' }).click()
    await dana.locator('.error-summary a[href="#note"]').waitFor()
    await expectLinkedError(dana, 'note')
    expect(await dana.locator('#note').inputValue()).toBe(tooLong)
    found.push(...(await axeLightAndDark(dana, 'internal note too long')))
    await dana.locator('#note').fill('')
    await dana.getByRole('button', { name: 'Case-file copy (print or PDF)' }).click()
    await dana.locator('[data-case-file]').waitFor()
    found.push(...(await axeLightAndDark(dana, 'case-file copy')))
    await dana.getByRole('button', { name: 'Back to the report' }).click()
    expect(found).toEqual([])
  })

  it('inboxes, settings and members: an invitation made, a colleague enrolled and waiting', async () => {
    const found: string[] = []
    for (const [link, path] of [
      ['Create or adopt an inbox', '/review/inboxes'],
      ['Your passkeys and email digest', '/review/settings'],
      ['Members and invitations', '/review/members'],
    ] as const) {
      await home()
      await follow(dana, link)
      await dana.waitForURL(`${server.url}${path}`)
      await dana.waitForLoadState('networkidle')
      found.push(...(await axeLightAndDark(dana, path)))
    }
    await dana.getByLabel('Their name').fill('Bea Reviewer')
    await dana.getByLabel(INBOX).check()
    await dana.getByRole('button', { name: 'Make an invitation link' }).click()
    const link = (await dana.locator('[data-invite-link]').textContent()) ?? ''
    found.push(...(await axeLightAndDark(dana, 'members, invitation made')))

    const beaContext = await browser.newContext({ viewport: DESKTOP, locale: 'en-GB' })
    beaContext.setDefaultTimeout(15_000)
    const bea = await beaContext.newPage()
    await virtualAuthenticator(beaContext, bea, true)
    await bea.goto(link)
    await bea.getByText('You are invited as').waitFor()
    await waitForHydration(bea)
    found.push(...(await axeLightAndDark(bea, 'invitation')))
    await bea.getByRole('button', { name: 'Create your passkey' }).click()
    const code = (await bea.locator('[data-recovery]').getAttribute('data-recovery')) ?? ''
    found.push(...(await axeLightAndDark(bea, 'enrolling, recovery key shown')))
    await bea.getByLabel(/last two groups/).fill('ZZZZ-Z')
    await bea.getByRole('button', { name: /finish enrolling/ }).click()
    await bea.locator('.error-summary').waitFor()
    await expectLinkedError(bea, 'lastGroup')
    found.push(...(await axeLightAndDark(bea, 'enrolling, recovery key mistyped')))
    await bea.getByLabel(/last two groups/).fill(code.split('-').slice(-2).join('-'))
    await bea.getByRole('button', { name: /finish enrolling/ }).click()
    await bea.getByRole('heading', { name: 'Waiting for approval' }).waitFor()
    found.push(...(await axeLightAndDark(bea, 'home, waiting for approval')))
    await beaContext.close()

    await home()
    await follow(dana, 'Members and invitations')
    await dana.locator('[data-request="Bea Reviewer"] [data-fingerprint]').filter({ hasNotText: '…' }).waitFor()
    found.push(...(await axeLightAndDark(dana, 'members, approval pending')))
    expect(found).toEqual([])
  })

  it('an inbox whose keys do not verify: the warning on home and on the report, and signed out', async () => {
    const [{ id: inboxId }] = await db<{ id: string }>('SELECT id FROM inboxes')
    await addServerVersion(server.dbFile, inboxId, newSignKeyPair())
    await dana.getByRole('button', { name: 'Sign out' }).click()
    await dana.getByText('You have signed out').waitFor()
    await waitForHydration(dana)
    const found = await axeLightAndDark(dana, 'signed out')
    await dana.getByRole('button', { name: 'Sign in with a passkey' }).click()
    await dana.getByRole('heading', { name: /^Hello, / }).waitFor()
    await dana.locator('[data-key-warning]').waitFor()
    found.push(...(await axeLightAndDark(dana, 'home, key warning')))
    await follow(dana, INBOX)
    await dana.locator('[data-inbox-ready]').waitFor()
    found.push(...(await axeLightAndDark(dana, 'inbox, key warning')))
    await dana.locator('[data-report] h2 a').first().click()
    await dana.locator('[data-no-sealing]').waitFor()
    found.push(...(await axeLightAndDark(dana, 'report, key warning')))
    await db('DELETE FROM inbox_key_wraps WHERE inbox_id = ? AND key_version = 2', [inboxId])
    await db('DELETE FROM inbox_keys WHERE inbox_id = ? AND key_version = 2', [inboxId])
    await signOutAndIn()
    expect(await dana.locator('[data-key-warning]').count()).toBe(0)
    expect(found).toEqual([])
  })

  it('at phone width: home, inbox, a report and settings', async () => {
    await dana.setViewportSize(PHONE)
    const found = await axeLightAndDark(dana, 'phone, home')
    await openInbox()
    found.push(...(await axeLightAndDark(dana, 'phone, inbox')))
    await openReport()
    found.push(...(await axeLightAndDark(dana, 'phone, report')))
    await home()
    await follow(dana, 'Your passkeys and email digest')
    await dana.getByRole('heading', { name: 'Your passkeys' }).waitFor()
    found.push(...(await axeLightAndDark(dana, 'phone, settings')))
    await dana.setViewportSize(DESKTOP)
    expect(found).toEqual([])
  })

  it('locked after a reload, timed out, a report that does not exist, and sign-in as a stranger', async () => {
    await dana.goto(`${server.url}/review/members`)
    await waitForHydration(dana)
    const found = await axeLightAndDark(dana, 'members, keys locked')
    await dana.goto(`${server.url}/review/report/${reportId}`)
    await dana.getByRole('heading', { name: 'Unlock your keys' }).waitFor()
    found.push(...(await axeLightAndDark(dana, 'report, keys locked')))
    await dana.goto(`${server.url}/review`)
    await dana.getByRole('link', { name: 'Unlock with your passkey' }).waitFor()
    found.push(...(await axeLightAndDark(dana, 'home, keys locked')))
    await dana.goto(`${server.url}/review/report/no-such-report`)
    found.push(...(await axeLightAndDark(dana, 'report not found')))
    await dana.goto(`${server.url}/review/sign-in?timed-out=1`)
    await dana.getByText('Your session ended').waitFor()
    found.push(...(await axeLightAndDark(dana, 'timed out')))
    const stranger = await browser.newContext({ viewport: DESKTOP, locale: 'en-GB' })
    const signIn = await stranger.newPage()
    await signIn.goto(`${server.url}/review/sign-in`)
    await waitForHydration(signIn)
    found.push(...(await axeLightAndDark(signIn, 'sign in')))
    await signIn.goto(`${server.url}/review/recover`)
    await waitForHydration(signIn)
    found.push(...(await axeLightAndDark(signIn, 'recover')))
    await signIn.getByLabel('Recovery key').fill('ABCD')
    await signIn.getByRole('button', { name: 'Recover and create a passkey' }).click()
    await signIn.locator('.error-summary').waitFor()
    await expectLinkedError(signIn, 'code')
    found.push(...(await axeLightAndDark(signIn, 'recover, a key too short')))
    await stranger.close()
    expect(found).toEqual([])
  })

  it('in Welsh: home, settings and members with the keys locked, timed out, sign-in and recovery', async () => {
    const found: string[] = []
    for (const [path, state] of [
      ['/review?lang=cy', 'Welsh, home, keys locked'],
      ['/review/settings?lang=cy', 'Welsh, settings'],
      ['/review/members?lang=cy', 'Welsh, members, keys locked'],
      ['/review/sign-in?timed-out=1&lang=cy', 'Welsh, timed out'],
    ]) {
      await dana.goto(`${server.url}${path}`)
      await waitForHydration(dana)
      expect(await dana.getAttribute('html', 'lang')).toBe('cy')
      found.push(...(await axeLightAndDark(dana, state)))
    }
    const stranger = await browser.newContext({ viewport: DESKTOP, locale: 'en-GB' })
    const page = await stranger.newPage()
    for (const [path, state] of [
      ['/review/sign-in?lang=cy', 'Welsh, sign in'],
      ['/review/recover?lang=cy', 'Welsh, recover'],
    ]) {
      await page.goto(`${server.url}${path}`)
      await waitForHydration(page)
      found.push(...(await axeLightAndDark(page, state)))
    }
    await stranger.close()
    expect(found).toEqual([])
  })
})
