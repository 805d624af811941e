import fs from 'node:fs'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { deriveReporterKeys, openThreadAsReporter, ready, sealFollowup, type ReporterKeys } from '../../crypto/index'
import { normaliseReceipt } from '../../crypto/receipt'
import { fileSealedReport, setUpFirstReviewer, virtualAuthenticator } from '../e2e/reviewer-helpers'
import { DESKTOP, launchChromium } from '../support/browser'
import { nextLink } from '../support/chain'
import { json, reporterToken } from '../support/http'
import { sqlAll } from '../support/review-api'
import { tempDataDir } from '../support/server'
import { jsonAt, startAdversary, type Adversary } from './adversary'

/**
 * The reviewer's side of chained threads, in Chromium on a desktop, behind a server that lies.
 * The reviewer's browser signs each reply and change of status into the reporter's thread; a
 * reply written while the reporter wrote is refused and signed again on the new head; and a
 * message the server drops from the reviewer's view is said where it was.
 */
const REPLY = 'Thank you. Which shift was this?'
const FOLLOWUP = 'It was the night shift on Tuesday.'
const AFTER = 'Thank you, that helps.'

let adv: Adversary
let browser: Browser
let page: Page
let receipt = ''
let reportId = ''
let keys: ReporterKeys

await ready()

beforeAll(async () => {
  ;[adv, browser] = await Promise.all([startAdversary({ dataDir: tempDataDir('candour-hostile-reviewer-chain-') }), launchChromium()])
  const context = await browser.newContext({ viewport: DESKTOP })
  context.setDefaultTimeout(15_000)
  page = await context.newPage()
  await virtualAuthenticator(context, page, true)
  const site = { ...adv.server, url: adv.url }
  await setUpFirstReviewer(page, site, { name: 'Dana Reviewer', inbox: 'Professional Standards' })
  receipt = await fileSealedReport(site, { whatHappened: 'Names at parade', role: 'witness' })
  keys = deriveReporterKeys(normaliseReceipt(receipt))
  ;[{ id: reportId }] = await sqlAll<{ id: string }>(adv.server.dbFile, 'SELECT id FROM reports WHERE locator = ?', [keys.locator])
})

afterAll(async () => {
  await browser?.close()
  await adv?.stop()
  if (adv) fs.rmSync(adv.server.dataDir, { recursive: true, force: true })
})

/** From the reports list, as a person would: a reload would drop the keys held in the tab. */
async function openReport() {
  const back = page.getByRole('link', { name: /^Back to / })
  await ((await back.count()) ? back : page.getByRole('link', { name: 'All your reports' })).click()
  await page.locator('[data-report]').first().getByRole('link').click()
  await page.getByRole('heading', { name: 'Who opened this' }).waitFor()
}

/** The reporter's own view of the thread, as their browser opens it. */
async function reporterView() {
  const wire = await json(`${adv.url}/api/reporter/thread`, { token: await reporterToken(adv.url, receipt) })
  return openThreadAsReporter(wire.body, keys)
}

describe('a reviewer writing into a thread the server may lie about (desktop)', () => {
  it('acknowledging and replying are signed into the reporter’s thread, in place', async () => {
    await openReport()
    await page.getByRole('button', { name: 'Acknowledge' }).click()
    await page.getByText('Status changed.').waitFor()
    await page.getByLabel('Reply to the reporter').fill(REPLY)
    await page.getByRole('button', { name: 'Send reply' }).click()
    await page.getByText(REPLY).waitFor()
    expect(await page.getByText('Set the status to “Acknowledged”.').count()).toBe(1)
    expect(await page.locator('.chain-notice').count()).toBe(0)
    const view = await reporterView()
    expect(view.messages.map((m) => [m.place, m.text])).toEqual([
      ['ok', ''],
      ['ok', REPLY],
    ])
    expect(view.signedState).toEqual({ status: 'acknowledged' })
  })

  it('a reply written while the reporter wrote is refused, then signed again on the new head', async () => {
    const chain = await nextLink(adv.server.dbFile, reportId)
    const [key] = await sqlAll<{ box_pk: string }>(adv.server.dbFile, 'SELECT box_pk FROM inbox_keys ORDER BY key_version DESC LIMIT 1')
    const sent = await json(`${adv.url}/api/reporter/messages`, {
      token: await reporterToken(adv.url, receipt),
      body: { keyVersion: 1, envelope: sealFollowup(FOLLOWUP, keys, key.box_pk, [], chain), prev: chain.prev },
    })
    expect(sent.status).toBe(201)
    await page.getByLabel('Reply to the reporter').fill(AFTER)
    await page.getByRole('button', { name: 'Send reply' }).click()
    await page.getByText('A new message arrived in this conversation while you were writing').waitFor()
    await page.getByText(FOLLOWUP).waitFor()
    expect(await page.getByLabel('Reply to the reporter').inputValue()).toBe(AFTER)
    await page.getByRole('button', { name: 'Send reply' }).click()
    await page.getByText('Reply sealed in this browser and sent.').waitFor()
    const view = await reporterView()
    expect(view.messages.map((m) => [m.place, m.text])).toEqual([
      ['ok', ''],
      ['ok', REPLY],
      ['ok', FOLLOWUP],
      ['ok', AFTER],
    ])
  })

  it('a message the server drops from the reviewer’s view is said where it was', async () => {
    adv.lie(
      jsonAt('POST', /^\/api\/review\/triage\/open$/, (body: { messages: { author: string; envelope: { body: string } }[] }) => {
        const i = body.messages.findIndex((m) => m.author === 'reporter')
        body.messages.splice(i, 1)
        return body
      }),
    )
    await openReport()
    await page.locator('.chain-notice[data-place="missing"]').waitFor()
    expect(await page.locator('main').innerText()).toContain('A message is missing before this one')
    await page.screenshot({ path: '/tmp/reviewer-chain-missing.png', fullPage: true })
    adv.lie(undefined)
  })

  it('a status the server lists but nobody signed is named beside the chips, with what the reporter sees', async () => {
    expect(await page.locator('[data-status-check]').count()).toBe(0)
    adv.lie(
      jsonAt('POST', /^\/api\/review\/triage\/open$/, (body: { report: { status: string; outcome: string | null } }) => {
        body.report.status = 'closed'
        body.report.outcome = 'no-further-action'
        return body
      }),
    )
    await openReport()
    const said = await page.locator('[data-status-check]').innerText()
    expect(said).toContain('The site lists this report as “Closed (No further action)”')
    expect(said).toContain('the last status a reviewer signed for the reporter is “Acknowledged”')
    adv.lie(undefined)
  })
})
