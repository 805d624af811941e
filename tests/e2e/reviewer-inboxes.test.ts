import fs from 'node:fs'
import type { Browser, Page } from 'playwright-core'
import sqlite3 from 'sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DESKTOP, launchChromium } from '../support/browser'
import { admin, createInbox, errorLines, startServer, tempDataDir, type RunningServer } from '../support/server'
import { setUpFirstReviewer, virtualAuthenticator } from './reviewer-helpers'

/** An admin makes a new inbox in the browser and adopts an offline one from its key file. */
describe('inboxes made and adopted by an admin (desktop, passkey with PRF)', () => {
  let server: RunningServer
  let browser: Browser
  let page: Page
  let offline: { id: string; keyFile: string }
  let foreign: { id: string; keyFile: string }
  const post = (path: string, body: unknown, cookie: string) =>
    fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify(body) })
  const cookieHeader = async () => (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ')
  const sql = (q: string) =>
    new Promise<void>((resolve, reject) => {
      const db = new sqlite3.Database(server.dbFile)
      db.run(q, (err) => db.close(() => (err ? reject(err) : resolve())))
    })

  beforeAll(async () => {
    const dataDir = tempDataDir('candour-e2e-inboxes-')
    offline = createInbox(dataDir, 'Independent Reviewer', 'For reports about Professional Standards')
    foreign = createInbox(tempDataDir('candour-e2e-foreign-'), 'Somewhere Else')
    ;[server, browser] = await Promise.all([startServer({ dataDir }), launchChromium()])
    const context = await browser.newContext({ viewport: DESKTOP })
    context.setDefaultTimeout(15_000)
    page = await context.newPage()
    await virtualAuthenticator(context, page, true)
    await setUpFirstReviewer(page, server, { name: 'Dana Reviewer', inbox: 'Professional Standards' })
  })
  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  it('asks for the key file at its field, linked from the error summary', async () => {
    await page.getByRole('link', { name: 'Create or adopt an inbox' }).click()
    await page.getByRole('button', { name: 'Adopt this inbox' }).click()
    const id = `keyfile-${offline.id}`
    await page.locator(`.error-summary a[href="#${id}"]`).getByText('Choose the inbox key file first.').click()
    expect(await page.evaluate(() => document.activeElement?.id)).toBe(id)
    const field = page.getByLabel('Inbox key file')
    expect(await field.getAttribute('aria-invalid')).toBe('true')
    expect(await field.getAttribute('aria-describedby')).toBe(`${id}-error`)
  })

  it('refuses a key file of another inbox, in the browser, before anything is sent', async () => {
    await page.getByLabel('Inbox key file').setInputFiles(foreign.keyFile)
    await page.getByRole('button', { name: 'Adopt this inbox' }).click()
    await page.getByText('That key file belongs to another inbox').waitFor()
  })

  it('adopts the offline inbox from its key file, so the same identity opens in this browser', async () => {
    await page.getByLabel('Inbox key file').setInputFiles(offline.keyFile)
    await page.getByRole('button', { name: 'Adopt this inbox' }).click()
    await page.getByText('adopted: its keys are now sealed to you').waitFor()
    await page.getByText('There are no offline inboxes to adopt.').waitFor()
  })

  it('creates a new inbox whose keys were made in the browser', async () => {
    await page.getByLabel('Name', { exact: true }).fill('Second Inbox')
    await page.getByRole('button', { name: 'Create inbox' }).click()
    await page.getByText('Inbox "Second Inbox" created').waitFor()
    await page.getByRole('link', { name: /Back to your inboxes/ }).click()
    for (const name of ['Professional Standards', 'Independent Reviewer', 'Second Inbox']) await page.getByRole('heading', { name }).waitFor()
    expect(await page.locator('.fingerprint').count()).toBe(3)
  })

  it('lets reporters choose between the inboxes, each with its description', async () => {
    const reporter = await browser.newPage()
    await reporter.goto(`${server.url}/report`)
    await reporter.getByText('For reports about Professional Standards').waitFor()
    expect(await reporter.locator('input[name="inboxId"]').count()).toBe(3)
    await reporter.close()
  })

  it('refuses what a forged or repeated request would try, changing nothing', async () => {
    const cookie = await cookieHeader()
    // A second adoption of the same inbox: it is no longer offline.
    const again = await post('/api/review/adopt/challenge', { inboxId: offline.id }, cookie)
    expect(again.status).toBe(404)
    // An adoption signed by a key that is not the inbox identity.
    const fresh = createInbox(server.dataDir, 'Late Offline')
    const { ceremonyId } = (await (await post('/api/review/adopt/challenge', { inboxId: fresh.id }, cookie)).json()) as { ceremonyId: string }
    const forged = await post(
      '/api/review/adopt',
      {
        ceremonyId,
        signature: Buffer.alloc(64, 1).toString('base64url'),
        wraps: [{ keyVersion: 1, boxSkWrap: Buffer.alloc(80).toString('base64url'), signSkWrap: Buffer.alloc(112).toString('base64url') }],
      },
      cookie,
    )
    expect(forged.status).toBe(400)
    expect(((await forged.json()) as { error: string }).error).toContain('does not belong to this inbox')
    // The challenge was used up by that attempt.
    const replay = await post('/api/review/adopt', { ceremonyId, signature: Buffer.alloc(64).toString('base64url'), wraps: [] }, cookie)
    expect(replay.status).toBe(400)
    // A new inbox whose key is not signed by its identity key.
    const bad = await post(
      '/api/review/inboxes',
      {
        name: 'Bad',
        description: '',
        key: {
          keyVersion: 1,
          boxPk: Buffer.alloc(32, 2).toString('base64url'),
          signPk: Buffer.alloc(32, 3).toString('base64url'),
          signature: Buffer.alloc(64).toString('base64url'),
        },
        boxSkWrap: Buffer.alloc(80).toString('base64url'),
        signSkWrap: Buffer.alloc(112).toString('base64url'),
      },
      cookie,
    )
    expect(bad.status).toBe(400)
    // No session: 401. A reviewer who is not an admin: 403.
    expect((await post('/api/review/inboxes', {}, '')).status).toBe(401)
    await sql("UPDATE reviewers SET role = 'reviewer'")
    expect((await post('/api/review/adopt/challenge', { inboxId: fresh.id }, cookie)).status).toBe(403)
    await sql("UPDATE reviewers SET role = 'admin'")
    const listed = admin(server.dataDir, ['inbox:list']).stdout
    expect(listed).toContain('Late Offline')
    expect(listed).not.toContain('Bad')
    expect(listed).toMatch(/Independent Reviewer\s+\(key version 1, members, fingerprint \d{4}( \d{4}){4}\)/)
  })

  it('locks the keys after 15 idle minutes and asks for the passkey again', async () => {
    const before = await cookieHeader()
    // From here on page timers run on a clock the test moves.
    await page.clock.install()
    await page.goto(`${server.url}/review`)
    await page.getByText('Your keys are locked').waitFor() // a fresh load has nothing in memory
    await page.goto(`${server.url}/review/sign-in`)
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click()
    await page.getByText('unlocked in this browser tab').waitFor()
    // Signing in again ended the session the old cookie named.
    expect(await cookieHeader()).not.toBe(before)
    const old = await fetch(`${server.url}/review`, { headers: { cookie: before }, redirect: 'manual' })
    expect(old.status).toBe(302)
    await page.clock.fastForward('14:00')
    expect(new URL(page.url()).pathname).toBe('/review')
    await page.clock.fastForward('02:00')
    await page.getByText('Your session ended (15 minutes away').waitFor()
  })

  it('locks the keys after 8 hours even for a reviewer who never stops working', async () => {
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click()
    await page.getByText('unlocked in this browser tab').waitFor()
    for (let minutes = 0; minutes < 470; minutes += 10) {
      // Activity, dispatched in the page so it lands before the clock moves, resets the idle
      // timer and never the absolute one.
      await page.evaluate(() => window.dispatchEvent(new KeyboardEvent('keydown')))
      await page.clock.fastForward('10:00')
      if (new URL(page.url()).pathname !== '/review') throw new Error(`left at ${minutes} min`)
    }
    await page.evaluate(() => window.dispatchEvent(new KeyboardEvent('keydown')))
    await page.clock.fastForward('10:00')
    await page.getByText('Your session ended (15 minutes away').waitFor()
  })

  it('keeps the audit chain whole and the key file still opens the adopted inbox offline', () => {
    const verify = admin(server.dataDir, ['audit:verify'])
    expect(verify.code).toBe(0)
    const log = admin(server.dataDir, ['audit:list']).stdout
    expect(log).toContain(`inbox.adopt ${offline.id}`)
    expect(log.match(/inbox\.create/g)?.length).toBeGreaterThanOrEqual(4)
    expect(admin(server.dataDir, ['inbox:open', '--key', offline.keyFile]).code).toBe(0)
    expect(errorLines(server.output())).toEqual([])
    fs.rmSync(server.dataDir, { recursive: true, force: true, maxRetries: 3 })
  })
})
