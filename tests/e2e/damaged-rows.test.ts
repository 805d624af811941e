import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { deriveReporterKeys, linkOf, sealFollowup, toB64 } from '../../crypto/index'
import { normaliseReceipt } from '../../crypto/receipt'
import { nextLink } from '../support/chain'
import { launchChromium, phoneContext } from '../support/browser'
import { json, reporterToken } from '../support/http'
import { sqlAll } from '../support/review-api'
import { errorLines, startServer, tempDataDir, type RunningServer } from '../support/server'
import { journey, mainText, waitForHydration } from './helpers'
import { fileSealedReport, reviewerAndReporter } from './reviewer-helpers'

/**
 * Rows a damaged disk left unparseable, in Chromium: the reviewer's list shows a damaged report as
 * "could not be read" with its id, and the report page and the reporter's thread each show a
 * damaged message as "could not be read" by its number and the others by their words, with no
 * page error, no console error and no server error.
 */
const DAMAGED = '{"v":1,"body":"q1Zy'

describe('each damaged stored row is one unreadable row, on both sides', () => {
  let server: RunningServer
  let browser: Browser
  let reviewer: Page
  let receipt = ''
  let reportId = ''
  let brokenId = ''
  const problems: string[] = []
  journey()

  const watch = (page: Page) => {
    page.on('pageerror', (e) => problems.push(`pageerror on ${page.url()}: ${e.message}`))
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console error on ${page.url()}: ${m.text()}`)
    })
  }

  /** The thread's rows under `scope`: number, whether marked unreadable, and their text. */
  const rows = (page: Page, scope: string) =>
    page.$$eval(`${scope} li[data-seq]`, (els) =>
      els.map((e) => ({ seq: Number(e.getAttribute('data-seq')), unreadable: e.hasAttribute('data-unreadable'), text: (e as HTMLElement).innerText })),
    )

  function expectThread(shown: Awaited<ReturnType<typeof rows>>) {
    expect(shown.map((r) => [r.seq, r.unreadable])).toEqual([
      [1, false],
      [2, true],
      [3, false],
    ])
    expect(shown[0].text).toContain('DAMAGE-ONE')
    expect(shown[1].text).toContain('This message could not be read')
    expect(shown[1].text).toContain('Message 2')
    expect(shown[2].text).toContain('DAMAGE-THREE')
  }

  const expectNoProblems = () => {
    expect(problems).toEqual([])
    expect(errorLines(server.output())).toEqual([])
  }

  beforeAll(async () => {
    const env = { POW_BASE_BITS: '0', POW_MAX_BITS: '0' }
    ;[server, browser] = await Promise.all([startServer({ dataDir: tempDataDir('candour-e2e-damaged-'), env }), launchChromium()])
    ;({ reviewer } = await reviewerAndReporter(browser, server, 'Professional Standards'))
    watch(reviewer)
    receipt = await fileSealedReport(server, { whatHappened: 'DAMAGE-REPORT seen at the desk' })
    const keys = deriveReporterKeys(normaliseReceipt(receipt))
    ;[{ id: reportId }] = await sqlAll<{ id: string }>(server.dbFile, 'SELECT id FROM reports WHERE locator = ?', [keys.locator])
    const [k] = await sqlAll<{ box_pk: string }>(server.dbFile, 'SELECT box_pk FROM inbox_keys ORDER BY key_version DESC LIMIT 1')
    const token = await reporterToken(server.url, receipt)
    const send = async (text: string, chain: Awaited<ReturnType<typeof nextLink>>) => {
      const envelope = sealFollowup(text, keys, k.box_pk, [], chain)
      const res = await json(`${server.url}/api/reporter/messages`, { token, body: { keyVersion: 1, envelope, prev: chain.prev } })
      expect(res.status, JSON.stringify(res.body)).toBe(201)
    }
    await send('DAMAGE-ONE from the reporter', await nextLink(server.dbFile, reportId))
    await send('DAMAGE-TWO, to be damaged', await nextLink(server.dbFile, reportId))
    await sqlAll(server.dbFile, 'UPDATE messages SET envelope = ? WHERE report_id = ? AND seq = 2', [DAMAGED, reportId])
    await send('DAMAGE-THREE after the damage', { report: reportId, n: 3, prev: linkOf({ body: toB64(new TextEncoder().encode(DAMAGED)) }) })
    // A second report whose own sealed report is damaged: one row of the list.
    const broken = deriveReporterKeys(normaliseReceipt(await fileSealedReport(server, { whatHappened: 'DAMAGE-BROKEN' })))
    ;[{ id: brokenId }] = await sqlAll<{ id: string }>(server.dbFile, 'SELECT id FROM reports WHERE locator = ?', [broken.locator])
    await sqlAll(server.dbFile, 'UPDATE reports SET envelope = ? WHERE id = ?', [DAMAGED, brokenId])
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  it('the inbox list shows the damaged report as could not be read, with its id, and the other by its words', async () => {
    await reviewer.getByRole('link', { name: 'Professional Standards' }).click()
    await reviewer.locator('[data-inbox-ready]').waitFor()
    await reviewer.getByLabel('Status', { exact: true }).selectOption('')
    const broken = reviewer.locator(`li[data-report="${brokenId}"][data-unreadable]`)
    expect(await broken.innerText()).toContain('This report could not be read')
    expect(await broken.innerText()).toContain(brokenId)
    const healthy = reviewer.locator(`li[data-report="${reportId}"]`)
    expect(await healthy.getAttribute('data-unreadable')).toBeNull()
    expect(await healthy.innerText()).toContain('Racism')
    expectNoProblems()
  })

  it('the reviewer’s report page shows messages 1 and 3 by their words and message 2 as could not be read', async () => {
    await reviewer.locator(`li[data-report="${reportId}"] h2 a`).click()
    await reviewer.getByRole('heading', { name: 'Who opened this' }).waitFor()
    expect(await mainText(reviewer)).toContain('DAMAGE-REPORT')
    expectThread(await rows(reviewer, 'ol.thread'))
    await reviewer.locator('ol.thread li[data-seq="2"]').getByRole('button', { name: 'Delete this unreadable message' }).waitFor()
    expectNoProblems()
  })

  for (const javaScript of [true, false])
    it(`the reporter’s thread ${javaScript ? 'with' : 'without'} JavaScript shows the same`, async () => {
      const context = await phoneContext(browser, { javaScriptEnabled: javaScript })
      const page = await context.newPage()
      watch(page)
      await page.goto(`${server.url}/check`)
      if (javaScript) await waitForHydration(page)
      await page.getByLabel('Receipt code').fill(receipt)
      await page.getByRole('button', { name: 'Open my report' }).click()
      await page.getByRole('heading', { name: 'Your report', exact: true }).waitFor()
      expect(await page.locator('dl.summary').innerText()).toContain('DAMAGE-REPORT')
      expectThread(await rows(page, 'ol.thread'))
      await context.close()
      expectNoProblems()
    })
})
