import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core'
import { DESKTOP, phoneContext } from '../support/browser'
import type { RunningServer } from '../support/server'
import type { Answers } from '../../common/report-fields'

/** The one-time setup link the server prints on first run (a moment after it starts listening). */
export async function setupLink(server: RunningServer): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const m = server.output().match(/first run: open this one-time link[^\n]*"url":"(http:\/\/localhost:\d+\/review\/setup#[A-Za-z0-9_-]+)"/)
    if (m) return m[1]
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`no setup link in server output:\n${server.output()}`)
}

/**
 * Waits until React has hydrated the page, so a form submit is handled by the page's script
 * (sealed in the browser) and not posted as a plain HTML form. It lives here, not in helpers.ts,
 * because bench scripts run outside vitest and this file must not import it.
 */
export async function waitForHydration(page: Page) {
  await page.waitForFunction(() => {
    // React keeps its root on the container; the root's committed state says when hydration is done.
    const key = Object.keys(document).find((k) => k.startsWith('__reactContainer$'))
    const current = key ? (document as any)[key].stateNode?.current : undefined
    return !!current?.child && current.memoizedState?.isDehydrated === false
  })
}

/**
 * The first reviewer sets up from the one-time link in this page, as a person would: name, first
 * inbox, passkey (the page's context needs a virtual authenticator), then retypes the end of the
 * recovery code. Returns once the inbox is unlocked in the tab, with the recovery code shown.
 */
export async function setUpFirstReviewer(page: Page, server: RunningServer, who: { name: string; inbox: string }) {
  await page.goto(await setupLink(server))
  await waitForHydration(page)
  await page.getByLabel('Your name').fill(who.name)
  await page.getByLabel('First inbox').fill(who.inbox)
  await page.getByRole('button', { name: 'Create your passkey' }).click()
  const recoveryCode = (await page.locator('[data-recovery]').getAttribute('data-recovery'))!
  await page.getByLabel(/last two groups/).fill(recoveryCode.split('-').slice(-2).join('-'))
  await page.getByRole('button', { name: /finish setup/ }).click()
  await page.getByText('unlocked in this browser tab').waitFor()
  return { recoveryCode }
}

/** A CDP virtual platform authenticator (user verification on, presence simulated). */
export async function virtualAuthenticator(context: BrowserContext, page: Page, hasPrf: boolean) {
  const cdp: CDPSession = await context.newCDPSession(page)
  await cdp.send('WebAuthn.enable')
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      ctap2Version: 'ctap2_1',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      hasPrf,
      automaticPresenceSimulation: true,
    } as any,
  })
  return { cdp, authenticatorId }
}

/** One person at their own desk: a desktop context with its own virtual authenticator. */
export async function reviewerPage(browser: Browser, hasPrf = true): Promise<Page> {
  const context = await browser.newContext({ viewport: DESKTOP, locale: 'en-GB' })
  context.setDefaultTimeout(20_000)
  const page = await context.newPage()
  await virtualAuthenticator(context, page, hasPrf)
  return page
}

/** What the page keeps in web storage: all of it must stay empty for reviewer pages. */
export function webStorage(page: Page) {
  return page.evaluate(async () => ({
    local: localStorage.length,
    session: sessionStorage.length,
    indexedDb: (await indexedDB.databases()).map((d) => d.name),
  }))
}

/** base64url JSON in, edited, base64url JSON out (for a clientDataJSON). */
export function editB64Json(b64: string, edit: (v: any) => void): string {
  const v = JSON.parse(Buffer.from(b64, 'base64url').toString('utf8'))
  edit(v)
  return Buffer.from(JSON.stringify(v)).toString('base64url')
}

/** The signature counter the server stored for a passkey, read through a read-only connection. */
export async function storedCounter(dbFile: string): Promise<number> {
  const { default: sqlite3 } = await import('sqlite3')
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(dbFile, sqlite3.OPEN_READONLY, (err) => {
      if (err) return reject(err)
      db.get('SELECT MAX(counter) AS n FROM passkeys', (err2, row: { n: number } | undefined) => {
        db.close()
        if (err2) reject(err2)
        else resolve(row?.n ?? -1)
      })
    })
  })
}

/**
 * Files a report to the server's first inbox as a reporter's browser would seal it, through the
 * API: quicker than a reporter tab when a test only needs reports to be there. Returns the
 * receipt. Imports are lazy so bench scripts that load this file do not pull in crypto.
 */
export async function fileSealedReport(server: RunningServer, given: Partial<Answers>): Promise<string> {
  // Every field, as the form seals them: a report with any missing is shown as unreadable.
  const answers: Answers = { categories: ['racism'], whatHappened: 'Seen in the canteen', when: '', where: '', who: '', role: '', contact: '', ...given }
  const [{ newReceipt, ready, sealReport }, { sqlAll }, { json }] = await Promise.all([
    import('../../crypto/index'),
    import('../support/review-api'),
    import('../support/http'),
  ])
  await ready()
  const [inbox] = await sqlAll<{ id: string; sign_pk: string }>(server.dbFile, 'SELECT id, sign_pk FROM inboxes ORDER BY created_at LIMIT 1')
  const [k] = await sqlAll<{ key_version: number; box_pk: string; signature: string }>(
    server.dbFile,
    'SELECT key_version, box_pk, signature FROM inbox_keys WHERE inbox_id = ? ORDER BY key_version DESC LIMIT 1',
    [inbox.id],
  )
  const receipt = newReceipt()
  const body = sealReport(answers, receipt, { inboxId: inbox.id, keyVersion: k.key_version, boxPk: k.box_pk, signPk: inbox.sign_pk, signature: k.signature })
  const res = await json(`${server.url}/api/reports`, { body })
  if (res.status !== 201) throw new Error(`the report was refused: ${res.status} ${JSON.stringify(res.body)}`)
  return receipt
}

/** Client-side navigation by a link's name: a reload would drop the keys kept in page memory. */
export async function follow(page: Page, name: string | RegExp) {
  await page.getByRole('link', { name }).first().click()
}

/**
 * Dana on a desktop, signed in with a PRF passkey after setting up `inbox`, and a fresh phone page
 * for a reporter to send to it: the cast of a journey across both sides.
 */
export async function reviewerAndReporter(browser: Browser, server: RunningServer, inbox: string): Promise<{ reviewer: Page; reporter: Page }> {
  const reviewing = await browser.newContext({ viewport: DESKTOP, locale: 'en-GB' })
  reviewing.setDefaultTimeout(15_000)
  const reviewer = await reviewing.newPage()
  await virtualAuthenticator(reviewing, reviewer, true)
  await setUpFirstReviewer(reviewer, server, { name: 'Dana Reviewer', inbox })
  const phone = await phoneContext(browser)
  phone.setDefaultTimeout(15_000)
  return { reviewer, reporter: await phone.newPage() }
}
