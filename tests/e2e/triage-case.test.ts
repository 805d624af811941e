import fs from 'node:fs'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { newReceipt, ready, sealReport } from '../../crypto/index'
import { addDays, addMonths } from '#common/days'
import { DESKTOP, launchChromium } from '../support/browser'
import { json, todayUtc } from '../support/http'
import { sqlAll } from '../support/review-api'
import { startServer, tempDataDir, type RunningServer } from '../support/server'
import { journey } from './helpers'
import { setUpFirstReviewer, virtualAuthenticator } from './reviewer-helpers'

const REPORTS = [
  {
    categories: ['racism'],
    whatHappened: 'OTTER: racist nicknames in the shift WhatsApp group',
    when: 'May',
    where: '',
    who: '',
    role: 'witness',
    contact: '',
  },
  { categories: ['sexism'], whatHappened: 'HERON: comments about a probationer in the canteen', when: '', where: '', who: '', role: 'targeted', contact: '' },
  { categories: ['bullying'], whatHappened: 'BADGER: a recruit was locked in the kit room as a joke', when: '', where: '', who: '', role: 'told', contact: '' },
]
const REASON = 'SEALED-REASON: two witnesses named, worth a proper look'

/** Case work at a desk: deadlines, filters, search, status with reasons, assignment, export, withdrawal. */
describe('reviewer case work in Chromium', () => {
  let server: RunningServer
  let browser: Browser
  let page: Page
  let inboxId = ''
  const ids: Record<string, string> = {}
  journey()

  const sql = <T>(q: string, p: unknown[] = []) => sqlAll<T>(server.dbFile, q, p)
  const toList = async () => {
    await page
      .getByRole('link', { name: /^Back to / })
      .first()
      .click()
    await page.locator('[data-inbox-ready]').waitFor()
  }
  const openByWord = async (word: string) => {
    await page.getByLabel('Search the reports').fill(word)
    await page.locator('[data-report]').first().getByRole('link').click()
    await page.getByRole('heading', { name: 'Who opened this' }).waitFor()
  }

  beforeAll(async () => {
    ;[server, browser] = await Promise.all([startServer({ dataDir: tempDataDir('candour-e2e-case-') }), launchChromium()])
    const context = await browser.newContext({ viewport: DESKTOP })
    context.setDefaultTimeout(15_000)
    page = await context.newPage()
    await virtualAuthenticator(context, page, true)
    await setUpFirstReviewer(page, server, { name: 'Dana Reviewer', inbox: 'Professional Standards' })

    // Reports sealed as a reporter's browser would, to the key the inbox published.
    await ready()
    const [key] = await sql<{ inbox_id: string; key_version: number; box_pk: string; signature: string; sign_pk: string }>(
      'SELECT k.inbox_id, k.key_version, k.box_pk, k.signature, i.sign_pk FROM inbox_keys k JOIN inboxes i ON i.id = k.inbox_id',
    )
    inboxId = key.inbox_id
    for (const answers of REPORTS) {
      const target = { inboxId, keyVersion: key.key_version, boxPk: key.box_pk, signPk: key.sign_pk, signature: key.signature }
      const res = await json(`${server.url}/api/reports`, { body: sealReport(answers, newReceipt(), target) })
      expect(res.status).toBe(201)
      // Ids are random, so the new one is whichever was not there before.
      const known = new Set(Object.values(ids))
      ids[answers.whatHappened.split(':')[0]] = (await sql<{ id: string }>('SELECT id FROM reports')).find((r) => !known.has(r.id))!.id
    }
  })
  afterAll(async () => {
    await browser?.close()
    await server?.stop()
    if (server) fs.rmSync(server.dataDir, { recursive: true, force: true })
  })

  it('the list shows each report unread with its acknowledge-by and feedback-by deadlines', async () => {
    // OTTER arrived 10 days ago: its 7-day deadline has passed.
    await sql('UPDATE reports SET received_day = ? WHERE id = ?', [addDays(todayUtc(), -10), ids.OTTER])
    await page.getByRole('link', { name: 'All your reports' }).click()
    const list = page.locator('[data-inbox-ready]')
    await list.waitFor()
    expect(await list.getAttribute('data-count')).toBe('3')
    expect(await page.locator('[data-chip="unread"]').count()).toBe(3)
    const due = addDays(todayUtc(), 7)
    const shortDay = (d: string) => new Date(`${d}T00:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' })
    expect(await page.getByText(`Acknowledge by ${shortDay(due)}`).count()).toBe(2)
    expect(await page.getByText(`Feedback by ${shortDay(addMonths(todayUtc(), 3))}`).count()).toBe(2)
    expect(await page.locator('.chip--overdue').innerText()).toBe(`Acknowledgement overdue since ${shortDay(addDays(todayUtc(), -3))}`)
    await page.screenshot({ path: 'tests/.artifacts/screens/desktop-review-list.png', fullPage: true })
  })

  it('filters and search work on what this tab opened', async () => {
    const count = () => page.locator('[data-report]').count()
    await page.getByLabel('Search the reports').fill('kit room')
    await page.getByText('1 of 3 reports matches').waitFor()
    expect(await page.locator('[data-report]').innerText()).toContain('Bullying')
    await page.getByLabel('Search the reports').fill('')
    await page.getByLabel('Kind of behaviour').selectOption('sexism')
    await page.getByText('1 of 3 reports matches').waitFor()
    await page.getByLabel('Kind of behaviour').selectOption('')
    await page.getByLabel('Only overdue').check()
    await page.getByText('1 of 3 reports matches').waitFor()
    expect(await page.locator('[data-report]').innerText()).toContain('Racism')
    await page.getByLabel('Only overdue').uncheck()
    await page.getByLabel('Assigned to').selectOption({ label: 'Me' })
    await page.getByText('0 of 3 reports match').waitFor()
    await page.getByLabel('Assigned to').selectOption({ label: 'Nobody yet' })
    expect(await count()).toBe(3)
    await page.getByLabel('Assigned to').selectOption({ label: 'Anyone or nobody' })
  })

  it('acknowledging stops the 7-day clock; a status change needs a reason, kept as a sealed note', async () => {
    await openByWord('OTTER')
    expect(page.url().split('/').pop()).toBe(ids.OTTER)
    await page.getByRole('button', { name: 'Acknowledge' }).click()
    await page.getByText('Status changed.').waitFor()
    expect(await page.locator('[data-chip="status"]').innerText()).toBe('Acknowledged')
    expect(await page.locator('[data-chip="ack"]').innerText()).toMatch(/^Acknowledged late/)
    await page.getByLabel('Change the status').selectOption('assessing')
    await page.getByRole('button', { name: 'Change status' }).click()
    await page.locator('.error-summary').getByText('Give a reason for the change').waitFor()
    expect((await sql<{ status: string }>('SELECT status FROM reports WHERE id = ?', [ids.OTTER]))[0].status).toBe('acknowledged')
    await page.getByLabel('Reason').fill(REASON)
    await page.getByRole('button', { name: 'Change status' }).click()
    await page.getByText('Status changed.').waitFor()
    expect(await page.locator('.bubble--note').innerText()).toContain(`Status changed to Assessing. Reason: ${REASON}`)
    const [row] = await sql<{ status: string; acknowledged_day: string }>('SELECT status, acknowledged_day FROM reports WHERE id = ?', [ids.OTTER])
    expect(row).toEqual({ status: 'assessing', acknowledged_day: todayUtc() })
    // Only the next steps are offered: from assessing, never back to received.
    const options = await page.locator('#status-to option').allInnerTexts()
    expect(options).toEqual(['Choose…', 'Investigating', 'Referred', 'Closed'])
  })

  it('assignment is saved, shown in the list and filterable', async () => {
    // A status change left without its reason: its mark goes once the next action succeeds.
    await page.getByLabel('Change the status').selectOption('investigating')
    await page.getByRole('button', { name: 'Change status' }).click()
    await page.locator('#status-reason[aria-invalid="true"]').waitFor()
    await page.getByLabel('Change the status').selectOption({ label: 'Choose…' })
    await page.getByLabel('Assigned to').selectOption({ label: 'Dana Reviewer (you)' })
    await page.getByRole('button', { name: 'Assign' }).click()
    await page.getByText('Assignment saved.').waitFor()
    expect(await page.locator('[aria-invalid="true"]').count()).toBe(0)
    expect(await page.getByText('Give a reason for the change').count()).toBe(0)
    await page.screenshot({ path: 'tests/.artifacts/screens/desktop-review-case.png', fullPage: true })
    await toList()
    await page.getByLabel('Assigned to').selectOption({ label: 'Me' })
    await page.getByText('1 of 3 reports matches').waitFor()
    expect(await page.locator('[data-report]').innerText()).toContain('Assigned to Dana Reviewer')
    // Opened now, so no longer unread; the others still are.
    expect(await page.locator('[data-report] [data-chip="unread"]').count()).toBe(0)
    await page.getByLabel('Assigned to').selectOption({ label: 'Anyone or nobody' })
    expect(await page.locator('[data-chip="unread"]').count()).toBe(2)
  })

  it('closing needs an outcome and shows when the report will be deleted', async () => {
    await openByWord('OTTER')
    await page.getByLabel('Change the status').selectOption('closed')
    await page.getByLabel('Reason').fill('Words of advice given to those involved')
    await page.getByRole('button', { name: 'Change status' }).click()
    await page.locator('.error-summary').getByText('Choose an outcome').waitFor()
    await page.getByLabel('Outcome').selectOption('action-taken')
    await page.getByRole('button', { name: 'Change status' }).click()
    await page.getByText('Status changed.').waitFor()
    expect(await page.locator('[data-chip="status"]').innerText()).toBe('Closed: Action was taken')
    const deleteOn = new Date(`${addDays(todayUtc(), 365)}T00:00:00Z`).toLocaleDateString('en-GB', {
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      timeZone: 'UTC',
    })
    expect(await page.locator('[data-chip="delete"]').innerText()).toBe(`Will be deleted on ${deleteOn}`)
  })

  it('a case-file copy is made in the browser and its export is recorded', async () => {
    await page.getByRole('button', { name: /Case-file copy/ }).click()
    const file = page.locator('[data-case-file]')
    await file.waitFor()
    const text = await file.innerText()
    expect(text).toContain('OTTER: racist nicknames')
    expect(text).toContain(REASON)
    expect(text).toContain('Dana Reviewer exported a case-file copy')
    await page.emulateMedia({ media: 'print' })
    await page.screenshot({ path: 'tests/.artifacts/screens/desktop-case-file-print.png', fullPage: true })
    await page.emulateMedia({ media: 'screen' })
    const audit = await sql<{ action: string }>("SELECT action FROM audit_log WHERE subject = ? AND action = 'report.export'", [ids.OTTER])
    expect(audit).toHaveLength(1)
    await page.getByRole('button', { name: 'Back to the report' }).click()
  })

  it('a withdrawal request is shown; declining keeps the report, accepting deletes it for good', async () => {
    // The reporter's side of this (with and without JS) has its own tests; here it is already asked.
    await toList()
    await openByWord('HERON')
    const heron = page.url().split('/').pop()!
    await sql('UPDATE reports SET withdrawal_requested_day = ? WHERE id = ?', [todayUtc(), heron])
    await toList()
    await page.locator('[data-chip="withdraw"]').waitFor()
    await openByWord('HERON')
    await page.locator('[data-withdrawal]').waitFor()
    await page.getByRole('button', { name: 'Decline' }).click()
    await page.getByText('Request declined.').waitFor()
    expect(await page.locator('[data-withdrawal]').count()).toBe(0)
    await sql('UPDATE reports SET withdrawal_requested_day = ? WHERE id = ?', [todayUtc(), heron])
    await toList()
    await openByWord('HERON')
    await page.getByRole('button', { name: 'Accept and delete for good' }).click()
    await page.getByText('was withdrawn and deleted for good').waitFor()
    expect(await sql('SELECT id FROM reports WHERE id = ?', [heron])).toHaveLength(0)
    expect(await sql('SELECT seq FROM messages WHERE report_id = ?', [heron])).toHaveLength(0)
    expect(await page.locator('[data-inbox-ready]').getAttribute('data-count')).toBe('2')
  })

  it('an admin shortens retention; reviewers are warned 14 days before deletion', async () => {
    await page.getByRole('link', { name: /^Back to your inboxes/ }).click()
    await page.getByRole('link', { name: 'Create or adopt an inbox' }).click()
    await page.getByLabel('Professional Standards: days to keep').fill('30')
    await page.locator(`[data-retention="${inboxId}"]`).getByRole('button', { name: 'Save' }).click()
    await page.getByText('now keeps closed reports for 30 days').waitFor()
    expect((await sql<{ d: number }>('SELECT retention_days AS d FROM inboxes'))[0].d).toBe(30)
    // Closed 20 days ago, so 10 days are left.
    await sql('UPDATE reports SET closed_day = ? WHERE id = ?', [addDays(todayUtc(), -20), ids.OTTER])
    await page.getByRole('link', { name: /Back to your inboxes/ }).click()
    await page.getByRole('link', { name: 'All your reports' }).click()
    await page.locator('[data-inbox-ready]').waitFor()
    await page.getByLabel('Status', { exact: true }).selectOption('closed')
    expect(await page.locator('[data-chip="delete"]').innerText()).toMatch(/^Deleted in 10 days \(/)
    expect(await page.locator('[data-chip="delete"]').getAttribute('class')).toContain('chip--warn')
  })

  it("the server's log holds no word, name or id from all this case work", () => {
    const lines = server
      .output()
      .split('\n')
      .filter((l) => l.trim() !== '')
    for (const line of lines) {
      const entry = JSON.parse(line) as Record<string, unknown>
      for (const k of Object.keys(entry)) expect(['level', 'time', 'msg', 'url', 'name', 'pid', 'hostname'], line).toContain(k)
    }
    const out = server.output()
    for (const needle of ['OTTER', 'HERON', 'BADGER', 'SEALED-REASON', 'Words of advice', 'Dana Reviewer', inboxId, ...Object.values(ids)])
      expect(out, needle).not.toContain(needle)
  })
})
