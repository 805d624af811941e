import fs from 'node:fs'
import type { Browser, Page } from 'playwright-core'
import { englishOnly, groupOf, sentenceRuns, wordsFor } from '../support/words'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { deriveReporterKeys, sealReply, toB64 } from '../../crypto/index'
import { normaliseReceipt } from '../../crypto/receipt'
import { nextLink, signedChange } from '../support/chain'
import { launchChromium, phoneContext } from '../support/browser'
import { todayUtc } from '../support/http'
import { firstAdminWithKeys, reviewApi, sqlAll } from '../support/review-api'
import { startServer, tempDataDir, type RunningServer } from '../support/server'
import { journey, mainText, waitForHydration, withTypo } from './helpers'
import { fileSealedReport } from './reviewer-helpers'

const [landing, safer, check, errors] = ['landing', 'safer', 'check', 'errors'].map((g) => groupOf('cy', g))
const REPLY = 'Diolch. Rydyn ni wedi darllen yr hyn a ddywedoch wrthym am y ffreutur.'
const FOLLOWUP = 'Rwy’n cofio rhagor am y ffreutur.'

// The English of these pages' own groups, as a reader would meet it.
const ENGLISH = sentenceRuns(englishOnly(['landing', 'safer', 'check']))

async function expectWelsh(page: Page, heading: string) {
  await page.getByRole('heading', { level: 1, name: heading }).waitFor()
  expect(await page.locator('html').getAttribute('lang')).toBe('cy')
  const text = await mainText(page)
  expect(ENGLISH.filter((s) => text.includes(s))).toEqual([])
}

/** A reporter on a phone reads the landing page, /safer and their thread in Welsh, with JavaScript on and off. */
describe('the reporter pages in Welsh (phone, JS on and off)', () => {
  let server: RunningServer
  let browser: Browser
  let receipt = ''
  journey()

  beforeAll(async () => {
    ;[server, browser] = await Promise.all([startServer({ dataDir: tempDataDir('candour-e2e-welsh-') }), launchChromium()])
    const admin = await firstAdminWithKeys(server)
    receipt = await fileSealedReport(server, { whatHappened: 'Sylwadau yn y ffreutur', role: 'witness' })
    const keys = deriveReporterKeys(normaliseReceipt(receipt))
    const [{ id }] = await sqlAll<{ id: string }>(server.dbFile, 'SELECT id FROM reports WHERE locator = ?', [keys.locator])
    const api = reviewApi(() => server.url)
    const review = async (p: string, b: unknown) => expect((await api.post(p, b, admin.cookie)).status).toBe(200)
    const boxPk = toB64(keys.box.publicKey)
    await review('/api/review/triage/status', {
      reportId: id,
      to: 'acknowledged',
      ...(await signedChange(server.dbFile, id, admin.inbox, boxPk, { status: 'acknowledged' })),
    })
    const chain = await nextLink(server.dbFile, id)
    await review('/api/review/triage/reply', {
      reportId: id,
      keyVersion: 1,
      prev: chain.prev,
      envelope: sealReply({ text: REPLY, reviewer: 'Adolygydd Dryw', chain, state: { status: 'acknowledged' } }, admin.inbox, boxPk),
    })
  })
  afterAll(async () => {
    await browser?.close()
    await server?.stop()
    if (server) fs.rmSync(server.dataDir, { recursive: true, force: true })
  })

  for (const js of [true, false]) {
    const mode = js ? 'js' : 'nojs'
    let page: Page

    it(`${mode}: the landing page and /safer are in Welsh`, async () => {
      page = await (await phoneContext(browser, { javaScriptEnabled: js })).newPage()
      page.context().setDefaultTimeout(15_000)
      await page.goto(`${server.url}/?lang=cy`)
      if (js) await waitForHydration(page)
      await expectWelsh(page, landing.heading)
      await page
        .getByRole('link', { name: wordsFor('cy')('reporter.start.check') })
        .first()
        .waitFor()
      await page.screenshot({ path: `/tmp/wcheck-landing-${mode}.png`, fullPage: true })
      await page.getByRole('link', { name: landing.safety.more.match(/<safer>(.*)<\/safer>/)[1] }).click()
      await expectWelsh(page, safer.heading)
      expect(new URL(page.url()).searchParams.get('lang')).toBe('cy')
      expect(await page.title()).toBe(`${safer.heading} · Candour`)
      await page.screenshot({ path: `/tmp/wcheck-safer-${mode}.png`, fullPage: true })
    })

    it(`${mode}: /check refuses a mistyped code in Welsh`, async () => {
      await page.goto(`${server.url}/check?lang=cy`)
      if (js) await waitForHydration(page)
      await expectWelsh(page, check.heading)
      expect(await page.title()).toBe(`${check.heading} · Candour`)
      await page.getByLabel(check.enter.label).fill(withTypo(receipt))
      await page.getByRole('button', { name: check.enter.submit }).click()
      await page.getByText(errors.receipt.typo).first().waitFor()
      expect(await page.title()).toBe(`Gwall: ${check.heading} · Candour`)
      await expectWelsh(page, check.heading)
      await page.screenshot({ path: `/tmp/wcheck-check-${mode}.png`, fullPage: true })
    })

    it(`${mode}: the thread opened with the receipt reads in Welsh, the reply in its own direction`, async () => {
      await page.getByLabel(check.enter.label).fill(receipt)
      await page.getByRole('button', { name: check.enter.submit }).click()
      await expectWelsh(page, check.thread.heading)
      expect(new URL(page.url()).searchParams.get('lang')).toBe('cy')
      expect(await page.title()).toBe(`${check.thread.heading} · Candour`)
      const card = await page.locator('[data-status-card]').innerText()
      expect(card).toContain(check.status.acknowledged.name)
      expect(card).toContain(check.status.acknowledged.about)
      const [y, m, d] = todayUtc().split('-').map(Number)
      const day = `${d} ${check.months.split(' ')[m - 1]} ${y}`
      expect(card).toContain(check.status.sentOn.replace('{{day}}', day))
      const reply = page.locator('.bubble--reviewer .preserve')
      expect(await reply.innerText()).toBe(REPLY)
      expect(await reply.getAttribute('dir')).toBe('auto')
      await page.getByRole('button', { name: check.reply.send }).waitFor()
      await page.screenshot({ path: `/tmp/wcheck-thread-${mode}.png`, fullPage: true })
    })

    it(`${mode}: a follow-up is sealed and sent, said in Welsh`, async () => {
      await page.getByLabel(check.reply.label).fill(`${FOLLOWUP} (${mode})`)
      await page.getByRole('button', { name: check.reply.send }).click()
      await page.getByText(js ? check.reply.sent : check.reply.sentPlain).waitFor()
      await expectWelsh(page, check.thread.heading)
      await page.context().close()
    })
  }
})
