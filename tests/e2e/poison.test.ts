import fs from 'node:fs'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  deriveReporterKeys,
  fromB64,
  newReceipt,
  openSealedSecret,
  parseRecoveryCode,
  ready,
  unwrapSecret,
  wrapKeyFromRecovery,
  type KeyPair,
} from '../../crypto/index'
import type { Target } from '../../crypto/thread'
import { DESKTOP, launchChromium, phoneContext } from '../support/browser'
import { json, reporterToken } from '../support/http'
import { HEALTHY, messageEnvelope, POISON, POISONED_SELF_NOTES, reportSubmission, type Case } from '../support/poison-corpus'
import { reviewApi, sqlAll } from '../support/review-api'
import { errorLines, startServer, tempDataDir, type RunningServer } from '../support/server'
import { journey, mainText, waitForHydration } from './helpers'
import { setUpFirstReviewer, virtualAuthenticator } from './reviewer-helpers'

const SHOTS = 'tests/.artifacts/screens'
const healthy = (name: string) => HEALTHY.find((c) => c.name === name)!
const ALPHA = healthy('healthy report')
const BRAVO = healthy('healthy report with bidi and controls')
const POISONED_REPORTS = POISON.filter((c) => c.kind === 'report')
/** The thread of ALPHA: every malformed message, with well-formed ones first, in the middle and last. */
const THREAD: Case[] = (() => {
  const poison = POISON.filter((c) => c.kind !== 'report')
  const [followup, bidi, reply, bidiName, note] = [
    'healthy follow-up',
    'healthy follow-up with bidi',
    'healthy reply',
    'healthy reply under a name with an unclosed override',
    'healthy note',
  ].map(healthy)
  const mid = Math.floor(poison.length / 2)
  return [followup, reply, ...poison.slice(0, mid), bidi, bidiName, note, ...poison.slice(mid), healthy('healthy reply')]
})()

type Filed = { c: Case; receipt: string; id: string }

/**
 * One report cannot blind an inbox: 205 correctly sealed reports and messages of the wrong shape
 * (tests/support/poison-corpus.ts), filed through the real API, and every page that shows them
 * in Chromium. Each well-formed row shows by its words, each malformed one as "could not be
 * read" with its id, with no page error and no console error; then an admin deletes one report
 * and one message through the page, with a reason, and the audit log has both.
 */
describe('poisoned reports and messages are each shown as unreadable, and nothing else breaks', () => {
  let server: RunningServer
  let browser: Browser
  let reviewer: Page
  let cookie = ''
  const problems: string[] = []
  const reports: Filed[] = []
  let alpha: Filed
  let poisoned: Filed // a report whose answers are malformed, with well-formed messages in its thread
  let selfNoted: Filed // a well-formed report whose self-note is not
  const seqs = new Map<number, Case>() // ALPHA's thread: message number → what was sealed in it
  const api = reviewApi(() => server.url)
  const sql = <T = any>(q: string, p: unknown[] = []) => sqlAll<T>(server.dbFile, q, p)
  journey()

  /** Every uncaught page error and console error, from every page of the context. */
  function watch(context: BrowserContext) {
    context.on('page', (p) => {
      p.on('pageerror', (e) => problems.push(`pageerror on ${p.url()}: ${e.message}`))
      p.on('console', (m) => {
        if (m.type() === 'error') problems.push(`console error on ${p.url()}: ${m.text()}`)
      })
    })
  }

  /** data-report / data-seq rows under `scope`: id, whether marked unreadable, and their text. */
  const rows = (page: Page, selector: string) =>
    page.$$eval(selector, (els) =>
      els.map((e) => ({
        id: e.getAttribute('data-report') ?? e.getAttribute('data-seq') ?? '',
        unreadable: e.hasAttribute('data-unreadable'),
        text: (e as HTMLElement).innerText,
      })),
    )

  /** The inbox list with every row on screen. */
  async function everyRow(page: Page) {
    await page.locator('[data-inbox-ready]').waitFor()
    await page.getByLabel('Status', { exact: true }).selectOption('')
    for (let more = page.getByRole('button', { name: /^Show \d+ more$/ }); await more.count();) await more.click()
    return rows(page, 'li[data-report]')
  }

  function expectEveryReport(list: Awaited<ReturnType<typeof rows>>) {
    const byId = new Map(list.map((r) => [r.id, r]))
    expect(list.length).toBe(reports.length)
    for (const r of reports) {
      const row = byId.get(r.id)!
      expect(row, `${r.c.name} is listed`).toBeDefined()
      if (r.c.healthy) {
        expect(row.unreadable, `${r.c.name} shows`).toBe(false)
        expect(row.text).toContain('Racism')
      } else {
        expect(row.unreadable, `${r.c.name} is marked unreadable`).toBe(true)
        expect(row.text).toContain('This report could not be read')
        expect(row.text).toContain(r.id)
      }
    }
  }

  /** ALPHA's thread as shown under `scope`: well-formed messages by their words, the rest by number. */
  async function expectThread(page: Page, scope: string, kinds: Case['kind'][]) {
    const shown = new Map((await rows(page, `${scope} li[data-seq]`)).map((r) => [Number(r.id), r]))
    const expected = [...seqs].filter(([, c]) => kinds.includes(c.kind))
    expect([...shown.keys()].sort((a, b) => a - b)).toEqual(expected.map(([seq]) => seq))
    for (const [seq, c] of expected) {
      const row = shown.get(seq)!
      if (c.healthy) {
        expect(row.unreadable, `${c.kind} ${c.name}`).toBe(false)
        expect(row.text).toContain(c.healthy.marker)
      } else {
        expect(row.unreadable, `${c.kind} ${c.name} (message ${seq}) is marked unreadable`).toBe(true)
        expect(row.text).toContain('This message could not be read')
        expect(row.text).toContain(`Message ${seq}`)
      }
    }
  }

  /**
   * An unclosed right-to-left override in a reviewer's name stays inside the name: the day after
   * it still reads left to right (without isolation the override runs on to the end of the
   * line, and the day is drawn reversed).
   */
  async function expectNameIsolated(page: Page) {
    const who = page.locator('ol.thread li', { hasText: 'HEALTHY-BIDI-REPLY' }).locator('.bubble__who')
    const name = who.locator('.their-words')
    expect(await name.evaluate((el) => getComputedStyle(el).unicodeBidi)).toBe('isolate')
    // Where the first and last characters of " · 1 December 2026" are drawn: reversed, the dot is last.
    const [dot, end] = await who.locator('.bubble__day').evaluate((el) => {
      const text = el.firstChild!
      const at = (i: number) => {
        const r = document.createRange()
        r.setStart(text, i)
        r.setEnd(text, i + 1)
        const b = r.getBoundingClientRect()
        return { x: b.x, y: b.y }
      }
      return [at(1), at(text.textContent!.length - 1)]
    })
    if (Math.abs(dot.y - end.y) < 2) expect(dot.x, 'the day reads left to right').toBeLessThan(end.x)
    else expect(dot.y, 'the day reads top to bottom').toBeLessThan(end.y)
    await who.scrollIntoViewIfNeeded()
  }

  /** Nothing went wrong anywhere so far: no page error, no console error, no server error. */
  function expectNoProblems() {
    expect(problems).toEqual([])
    expect(errorLines(server.output())).toEqual([])
    expect(api.statuses.filter(([, s]) => s >= 500)).toEqual([])
  }

  beforeAll(async () => {
    // Proofs of work at zero bits and room for ~40 follow-ups in one visit: the corpus is filed in
    // seconds, and neither difficulty nor follow-up budgets are under test here.
    const env = { POW_BASE_BITS: '0', POW_MAX_BITS: '0', FOLLOWUPS_PER_SESSION: '1000', FOLLOWUPS_PER_REPORT_DAY: '1000' }
    ;[server, browser] = await Promise.all([startServer({ dataDir: tempDataDir('candour-e2e-poison-'), env }), launchChromium()])
    fs.mkdirSync(SHOTS, { recursive: true })
    const context = await browser.newContext({ viewport: DESKTOP })
    context.setDefaultTimeout(20_000)
    watch(context)
    reviewer = await context.newPage()
    await virtualAuthenticator(context, reviewer, true)
    const { recoveryCode } = await setUpFirstReviewer(reviewer, server, { name: 'Dana Reviewer', inbox: 'Professional Standards' })
    cookie = (await context.cookies(server.url)).filter((c) => c.name.includes('candour_review')).map((c) => `${c.name}=${c.value}`)[0]

    // The inbox keys her browser holds, opened here from her printed recovery key, so replies
    // and notes can be sealed and signed exactly as her browser would seal them.
    await ready()
    const [me] = await sql<{ id: string; box_pk: string; recovery_wrap: string }>('SELECT id, box_pk, recovery_wrap FROM reviewers')
    const parsed = parseRecoveryCode(recoveryCode)
    if (!parsed.ok) throw new Error(parsed.message)
    const mine: KeyPair = { publicKey: fromB64(me.box_pk), privateKey: unwrapSecret(me.recovery_wrap, wrapKeyFromRecovery(parsed.normalised)) }
    const [k] = await sql<{
      inbox_id: string
      key_version: number
      box_pk: string
      signature: string
      sign_pk: string
      box_sk_wrap: string
      sign_sk_wrap: string
    }>(
      `SELECT k.inbox_id, k.key_version, k.box_pk, k.signature, i.sign_pk, w.box_sk_wrap, w.sign_sk_wrap
       FROM inbox_keys k JOIN inboxes i ON i.id = k.inbox_id JOIN inbox_key_wraps w ON w.inbox_id = k.inbox_id AND w.key_version = k.key_version`,
    )
    const target: Target = { inboxId: k.inbox_id, keyVersion: k.key_version, boxPk: k.box_pk, signPk: k.sign_pk, signature: k.signature }
    const encryption = { publicKey: fromB64(k.box_pk), privateKey: openSealedSecret(k.box_sk_wrap, mine) }
    const identity = { publicKey: fromB64(k.sign_pk), privateKey: openSealedSecret(k.sign_sk_wrap, mine) }

    // Reports, filed a dozen at a time through /api/reports, each with its own receipt.
    const toFile: Array<{ c: Case; selfNote?: Uint8Array }> = [
      { c: ALPHA },
      { c: BRAVO },
      ...POISONED_REPORTS.map((c) => ({ c })),
      {
        c: { ...ALPHA, name: 'healthy report, malformed self-note', healthy: { marker: 'HEALTHY-ALPHA' } },
        selfNote: POISONED_SELF_NOTES[1][1](target.inboxId),
      },
    ]
    for (let i = 0; i < toFile.length; i += 12)
      await Promise.all(
        toFile.slice(i, i + 12).map(async ({ c, selfNote }) => {
          const receipt = newReceipt()
          const { body } = reportSubmission(c.plain({ reporter: deriveReporterKeys(receipt), identity }), target, receipt, selfNote)
          const res = await json(`${server.url}/api/reports`, { body })
          expect(res.status, `${c.name}: ${JSON.stringify(res.body)}`).toBe(201)
          const [row] = await sql<{ id: string }>('SELECT id FROM reports WHERE locator = ?', [body.locator])
          reports.push({ c, receipt, id: row.id })
        }),
      )
    alpha = reports.find((r) => r.c === ALPHA)!
    poisoned = reports.find((r) => r.c.name === 'answers without categories')!
    selfNoted = reports.find((r) => r.c.name === 'healthy report, malformed self-note')!

    // ALPHA's thread: follow-ups through the reporter's API, replies and notes through the reviewer's, in order.
    const inbox = { boxPk: encryption.publicKey, boxSk: encryption.privateKey }
    async function post(r: Filed, c: Case, token: string) {
      const reporter = deriveReporterKeys(r.receipt)
      const envelope = messageEnvelope(c.kind as 'followup', c.plain({ reporter, identity }), inbox, reporter)
      const res =
        c.kind === 'followup'
          ? await json(`${server.url}/api/reporter/messages`, { token, body: { keyVersion: 1, envelope } })
          : await api.post(`/api/review/triage/${c.kind}`, { reportId: r.id, keyVersion: 1, envelope }, cookie)
      expect(res.status, `${c.kind} ${c.name}: ${JSON.stringify(res.body).slice(0, 300)}`).toBe(c.kind === 'followup' ? 201 : 200)
    }
    const alphaToken = await reporterToken(server.url, alpha.receipt)
    for (const c of THREAD) await post(alpha, c, alphaToken)
    const stored = await sql<{ seq: number }>('SELECT seq FROM messages WHERE report_id = ? ORDER BY seq', [alpha.id])
    expect(stored.length).toBe(THREAD.length)
    stored.forEach((m, i) => seqs.set(m.seq, THREAD[i]))
    // The poisoned report gets a well-formed follow-up and reply: its thread must still show.
    const poisonedToken = await reporterToken(server.url, poisoned.receipt)
    for (const c of [healthy('healthy follow-up'), healthy('healthy reply')]) await post(poisoned, c, poisonedToken)
  }, 300_000)

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
    if (server) fs.rmSync(server.dataDir, { recursive: true, force: true })
  })

  it(`the corpus went in through the real API: ${POISONED_REPORTS.length} malformed reports, ${POISON.length - POISONED_REPORTS.length} malformed messages`, () => {
    expect(POISON.length).toBeGreaterThanOrEqual(200)
    expect(reports.length).toBe(POISONED_REPORTS.length + 3)
    expectNoProblems()
  })

  it('the inbox list shows every report: the well-formed ones, and each malformed one as "could not be read" with its id', async () => {
    await reviewer.getByRole('link', { name: 'Professional Standards' }).click()
    const list = await everyRow(reviewer)
    expectEveryReport(list)
    await reviewer.getByText(`${POISONED_REPORTS.length} could not be read`).waitFor()
    await reviewer.screenshot({ path: `${SHOTS}/desktop-poison-list.png` })
    expectNoProblems()
  })

  it('search and filters skip the unreadable rows without throwing', async () => {
    const total = reports.length
    await reviewer.getByLabel('Search the reports').fill('HEALTHY-ALPHA')
    await reviewer.getByText(`2 of ${total} reports match`).waitFor() // ALPHA and the one with a malformed self-note
    // Words that are in every malformed report's sealed answers, which must not be read.
    await reviewer.getByLabel('Search the reports').fill('poisoned report')
    await reviewer.getByText(`0 of ${total} reports match`).waitFor()
    await reviewer.getByLabel('Search the reports').fill('')
    await reviewer.getByLabel('Kind of behaviour').selectOption('racism')
    await reviewer.getByText(`3 of ${total} reports match`).waitFor()
    expect((await rows(reviewer, 'li[data-report]')).every((r) => !r.unreadable)).toBe(true)
    await reviewer.getByLabel('Kind of behaviour').selectOption('')
    expectNoProblems()
  })

  it('the all-reports list shows the same, row by row', async () => {
    // Keys live in this tab's memory: move within the app, never reload.
    await reviewer.getByRole('link', { name: 'All your reports' }).click()
    await reviewer.getByRole('heading', { name: 'All reports' }).waitFor()
    expectEveryReport(await everyRow(reviewer))
    expectNoProblems()
  })

  it('a malformed report’s page says it could not be read, with its id, and still shows its thread (its follow-ups unverifiable)', async () => {
    await reviewer.locator(`li[data-report="${poisoned.id}"] h2 a`).click()
    await reviewer.getByRole('heading', { name: 'Who opened this' }).waitFor()
    const main = await mainText(reviewer)
    expect(main).toContain('This report could not be read')
    expect(main).toContain(`Report id ${poisoned.id}`)
    // Its reply shows; its follow-up cannot be verified, as the reporter key it names is in the unreadable report.
    expect(main).toContain(healthy('healthy reply').healthy!.marker)
    expect(main).toContain("Could not be verified: not shown as the reporter's words.")
    await reviewer.getByRole('button', { name: 'Delete this unreadable report' }).waitFor()
    await reviewer.screenshot({ path: `${SHOTS}/desktop-poison-report.png`, fullPage: true })
    expectNoProblems()
  })

  it('a healthy report with a poisoned thread shows every well-formed message and each malformed one by its number', async () => {
    await reviewer.getByRole('link', { name: /^Back to Professional Standards/ }).click()
    await reviewer.locator('[data-inbox-ready]').waitFor()
    await reviewer.getByLabel('Status', { exact: true }).selectOption('')
    await reviewer.getByLabel('Search the reports').fill('HEALTHY-ALPHA')
    await reviewer.locator(`li[data-report="${alpha.id}"] h2 a`).click()
    await reviewer.getByRole('heading', { name: 'Who opened this' }).waitFor()
    expect(await reviewer.locator('dl.summary').innerText()).toContain(ALPHA.healthy!.marker)
    await expectThread(reviewer, 'ol.thread', ['followup', 'reply', 'note'])
    // Words with direction overrides and controls are isolates: they cannot reorder what follows.
    await expectNameIsolated(reviewer)
    await reviewer.screenshot({ path: `${SHOTS}/desktop-poison-thread.png` })
    expectNoProblems()
  })

  it('the case-file copy of it shows the same', async () => {
    await reviewer.getByRole('button', { name: /Case-file copy/ }).click()
    await reviewer.locator('[data-case-file]').waitFor()
    await expectThread(reviewer, '[data-case-file] ol.thread', ['followup', 'reply', 'note'])
    expect(await reviewer.locator('[data-case-file] dl.summary').innerText()).toContain(ALPHA.healthy!.marker)
    await reviewer.getByRole('button', { name: 'Back to the report' }).click()
    expectNoProblems()
  })

  async function openThread(receipt: string, javaScript: boolean) {
    const context = await phoneContext(browser, { javaScriptEnabled: javaScript })
    watch(context)
    const page = await context.newPage()
    await page.goto(`${server.url}/check`)
    if (javaScript) await waitForHydration(page)
    await page.getByLabel('Receipt code').fill(receipt)
    await page.getByRole('button', { name: 'Open my report' }).click()
    await page.getByRole('heading', { name: 'Your report', exact: true }).waitFor()
    await page.waitForLoadState('domcontentloaded')
    return page
  }

  for (const javaScript of [true, false])
    it(`the reporter’s thread on a phone ${javaScript ? 'with' : 'without'} JavaScript shows each well-formed message and each malformed one by its number`, async () => {
      const page = await openThread(alpha.receipt, javaScript)
      await expectThread(page, 'ol.thread', ['followup', 'reply'])
      expect(await page.locator('dl.summary').innerText()).toContain(ALPHA.healthy!.marker)
      await expectNameIsolated(page)
      await page.screenshot({ path: `${SHOTS}/phone-poison-thread-${javaScript ? 'js' : 'nojs'}.png` })
      await page.context().close()
      expectNoProblems()
    })

  it('without JavaScript, the sender of a malformed report reads its thread; a malformed self-note only stops new messages', async () => {
    const page = await openThread(poisoned.receipt, false)
    const text = await mainText(page)
    expect(text).toContain('Your report could not be read')
    expect(text).toContain(healthy('healthy follow-up').healthy!.marker)
    expect(text).toContain(healthy('healthy reply').healthy!.marker)
    await page.screenshot({ path: `${SHOTS}/phone-poison-own-report-nojs.png`, fullPage: true })
    await page.context().close()

    const other = await openThread(selfNoted.receipt, false)
    const words = await mainText(other)
    expect(words).toContain(ALPHA.healthy!.marker)
    expect(words).toContain('The inbox keys could not be verified, so new messages cannot be sent safely right now.')
    await other.context().close()
    expectNoProblems()
  })

  it('an admin deletes an unreadable message and an unreadable report through the page, with a reason; both are audited and gone', async () => {
    // A message, on ALPHA's page.
    const [seq] = [...seqs].find(([, c]) => !c.healthy && c.kind === 'followup')!
    const message = reviewer.locator(`ol.thread li[data-seq="${seq}"][data-unreadable]`)
    await message.getByRole('button', { name: 'Delete this unreadable message' }).click()
    await message.getByLabel('Reason').selectOption('unreadable')
    await message.screenshot({ path: `${SHOTS}/desktop-poison-confirm-delete.png` })
    await message.getByRole('button', { name: 'Yes, delete this message' }).click()
    await reviewer.getByText(`Message ${seq} was deleted for good.`).waitFor()
    expect(await reviewer.locator(`ol.thread li[data-seq="${seq}"]`).count()).toBe(0)
    expect(await sql('SELECT 1 FROM messages WHERE report_id = ? AND seq = ?', [alpha.id, seq])).toEqual([])
    const [m] = await sql<{ detail: string }>("SELECT detail FROM audit_log WHERE action = 'message.delete' AND subject = ?", [alpha.id])
    expect(JSON.parse(m.detail)).toEqual({ reason: 'unreadable', seq })
    await reviewer.getByText('deleted a message that could not be read').waitFor()

    // A report, from the inbox list.
    const victim = reports.find((r) => r.c.name === 'files as a string')!
    await reviewer.getByRole('link', { name: /^Back to Professional Standards/ }).click()
    await reviewer.locator('[data-inbox-ready]').waitFor()
    await reviewer.getByLabel('Status', { exact: true }).selectOption('')
    for (let more = reviewer.getByRole('button', { name: /^Show \d+ more$/ }); await more.count();) await more.click()
    const row = reviewer.locator(`li[data-report="${victim.id}"][data-unreadable]`)
    await row.getByRole('button', { name: 'Delete this unreadable report' }).click()
    await row.getByLabel('Reason').selectOption('junk')
    await row.getByRole('button', { name: 'Yes, delete this report' }).click()
    await reviewer.getByText('could not be read and was deleted for good.').waitFor()
    expect(await reviewer.locator(`li[data-report="${victim.id}"]`).count()).toBe(0)
    expect(await sql('SELECT 1 FROM reports WHERE id = ?', [victim.id])).toEqual([])
    const [r] = await sql<{ detail: string; actor: string }>("SELECT detail, actor FROM audit_log WHERE action = 'report.delete' AND subject = ?", [victim.id])
    expect(JSON.parse(r.detail)).toEqual({ reason: 'junk' })
    expect(r.actor).toMatch(/^reviewer:/)
    expectNoProblems()
  })
})
