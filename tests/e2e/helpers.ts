import fs from 'node:fs'
import type { Browser, Page, Request } from 'playwright-core'
import { beforeEach, expect } from 'vitest'
import { launchChromium } from '../support/browser'
import { admin, createInbox, diskBytes, startServer, tempDataDir, type RunningServer } from '../support/server'
import { waitForHydration } from './reviewer-helpers'
import { wordsFor } from '../support/words'

/** Distinctive words that must never appear outside the sealed envelope. */
export const REPORT = {
  whatHappened: 'PINEAPPLE sergeant posted WALRUS memes in the shift group chat',
  when: 'Last PINEAPPLE Tuesday',
  where: 'WALRUS response team',
  who: 'PC PINEAPPLE and Sgt WALRUS',
  contact: 'mango@example.org',
}
export const FOLLOWUP = 'KUMQUAT: I remembered the WALRUS sticker on the locker'
export const SECRET_WORDS = ['PINEAPPLE', 'WALRUS', 'KUMQUAT', 'mango@example.org', 'mango%40example.org']

/** Fills the report form (label-driven, like a screen reader user would find the fields), in the page's language. */
export async function fillReport(page: Page, r: typeof REPORT = REPORT, lang = 'en') {
  const w = wordsFor(lang)
  await page.getByLabel(w('reporter.category.racism')).check()
  await page.getByLabel(w('reporter.category.bullying')).check()
  await page.getByLabel(w('report.form.whatHappened')).fill(r.whatHappened)
  await page.getByLabel(w('report.form.when')).fill(r.when)
  await page.getByLabel(w('report.form.where')).fill(r.where)
  await page.getByLabel(w('report.form.who')).fill(r.who)
  await page.getByLabel(w('reporter.role.witness')).check()
  await page.getByLabel(w('report.form.contact')).fill(r.contact)
}

/** Every request the page makes, with its body as text (latin1 so binary bodies stay searchable). */
export function recordRequests(page: Page) {
  const seen: Array<{ method: string; url: string; body: string }> = []
  page.on('request', (r: Request) => {
    seen.push({ method: r.method(), url: r.url(), body: r.postDataBuffer()?.toString('latin1') ?? '' })
  })
  return seen
}

/** The receipt in the forms someone might leak it: as shown, without dashes, lower case. */
export function receiptForms(receipt: string): string[] {
  const bare = receipt.replace(/-/g, '')
  return [receipt, bare, receipt.toLowerCase(), bare.toLowerCase()]
}

/** Asserts none of the needles occur in the haystack, naming the first that does. */
export function expectNoneOf(haystack: string, needles: string[], where: string) {
  // An empty needle (say, a receipt never captured) would match everything and hide the cause.
  if (needles.some((n) => n.length < 4)) throw new Error(`a search term is missing or too short: ${JSON.stringify(needles)}`)
  const found = needles.filter((n) => haystack.includes(n))
  expect(found, `${where} contains ${found.join(', ')}`).toEqual([])
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'

/** One data symbol swapped for another valid Crockford symbol: the check symbol must catch it. */
export function withTypo(receipt: string): string {
  const i = 5 // first symbol of the second group in XXXX-XXXX-…
  const c = receipt[i]
  const other = CROCKFORD[(CROCKFORD.indexOf(c) + 7) % CROCKFORD.length]
  return receipt.slice(0, i) + other + receipt.slice(i + 1)
}

/** The last group of four and the check symbol, as the retype step asks: "ABCD-E". */
export function receiptTail(receipt: string): string {
  return receipt.split('-').slice(-2).join('-')
}

export async function mainText(page: Page): Promise<string> {
  // A heading can be on screen while the rest of a streamed document is still being parsed.
  await page.waitForLoadState('domcontentloaded')
  return page.locator('main').innerText()
}

export { waitForHydration } from './reviewer-helpers'

/**
 * The tests of a journey file build on each other: after the first failure the rest are
 * skipped, so one product bug gives one clear failure instead of a string of timeouts.
 */
export function journey() {
  let broken = ''
  beforeEach(({ skip, onTestFailed, task }) => {
    if (broken) skip(`an earlier step failed: ${broken}`)
    onTestFailed(() => {
      broken ||= task.name
    })
  })
}

/** A whole JS reporter session in one tab: report, receipt, check, follow-up. Returns the receipt. */
export async function reportCheckAndFollowUp(page: Page, origin: string): Promise<string> {
  await page.goto(`${origin}/report`)
  await waitForHydration(page)
  await fillReport(page)
  await page.getByRole('button', { name: 'Continue to check your answers' }).click()
  await page.getByRole('button', { name: 'Send report' }).click()
  const receipt = await page.locator('[data-receipt]').getAttribute('data-receipt')
  expect(receipt).toBeTruthy()

  await page.goto(`${origin}/check`)
  await waitForHydration(page)
  await page.getByLabel('Receipt code').fill(receipt!)
  await page.getByRole('button', { name: 'Open my report' }).click()
  await page.getByLabel('Add a message').fill(FOLLOWUP)
  await page.getByRole('button', { name: 'Send message' }).click()
  await page.getByText('sealed on this device and sent').waitFor()
  return receipt!
}

/** A server whose one inbox is offline (its key file on disk, as an admin keeps it), and Chromium. */
export async function serverWithOfflineInbox(dataDirPrefix: string) {
  const dataDir = tempDataDir(dataDirPrefix)
  const { keyFile } = createInbox(dataDir)
  const [server, browser] = await Promise.all([startServer({ dataDir }), launchChromium()])
  return { server, browser, keyFile }
}

/** Closes the browser, stops the server and deletes its data; either may never have started. */
export async function stopAll(server: RunningServer | undefined, browser: Browser | undefined) {
  await browser?.close()
  await server?.stop()
  if (server) fs.rmSync(server.dataDir, { recursive: true, force: true })
}

/** `admin inbox:open` with the key file: the report and the reporter's signed follow-up open and verify. Returns its output. */
export function expectOpensOffline(server: RunningServer, keyFile: string): string {
  const r = admin(server.dataDir, ['inbox:open', '--key', keyFile])
  expect(r.code, r.stderr).toBe(0)
  expect(r.stdout).toContain('1 report(s)')
  expect(r.stdout).toContain(REPORT.whatHappened)
  expect(r.stdout).toContain(`Contact:\n  │ ${REPORT.contact}`)
  expect(r.stdout).toMatch(new RegExp(`--- Reporter · [0-9-]{10} · signature verified\\n  │ ${FOLLOWUP}`))
  expect(r.stdout).not.toContain('WARNING')
  expect(r.stdout).not.toContain('NOT VERIFIED')
  return r.stdout
}

/** Neither the server's disk nor its output holds the report's words or the receipt in any form. */
export function expectNoTraceOnServer(server: RunningServer, receipt: string) {
  const needles = [...SECRET_WORDS, ...receiptForms(receipt)]
  const disk = diskBytes(server.dataDir)
  expect(disk.length).toBeGreaterThan(0)
  expectNoneOf(disk, needles, 'the database files')
  expectNoneOf(server.output(), needles, 'the server output')
}
