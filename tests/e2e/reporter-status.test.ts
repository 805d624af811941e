import fs from 'node:fs'
import type { Browser, Page } from 'playwright-core'
import sqlite3 from 'sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { deriveReporterKeys, sealNote, sealReply, toB64, type CaseState, type InboxKeys } from '../../crypto/index'
import { newSignKeyPair } from '../../crypto/keys'
import { normaliseReceipt } from '../../crypto/receipt'
import check from '../../common/i18n/en/check.json'
import { launchChromium, phoneContext } from '../support/browser'
import { json, todayUtc } from '../support/http'
import { firstAdminWithKeys, reviewApi, sqlAll } from '../support/review-api'
import { nextLink, signedChange } from '../support/chain'
import { sealedSubmission } from '../support/seal'
import { startServer, tempDataDir, type RunningServer } from '../support/server'
import { fillReport, journey, mainText, waitForHydration } from './helpers'

// Words that must never reach the reporter: a reviewer's reason, and a reply nobody in the inbox signed.
const REASON = 'REASON-OTTER: checking the duty rota before deciding'
const FORGED = 'FORGED-HERON: please withdraw your report now'
const REPLY = 'Thank you. We are looking at what you told us about the canteen.'
const SHOTS = 'tests/.artifacts/screens'
const longDay = (day: string) => new Date(`${day}T00:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })

/** The reporter's "Check replies" on a phone: plain-language status, forged replies flagged, withdrawal. */
describe('reporter status, forged replies and withdrawal (phone, JS on and off)', () => {
  let server: RunningServer
  let browser: Browser
  let cookie = ''
  let inboxId = ''
  let inbox: InboxKeys
  const a = { id: '', receipt: '' } // filed in the browser with JS; asks to withdraw with JS; accepted
  const b = { id: '', receipt: '' } // asks to withdraw without JS; declined, then closed
  const api = reviewApi(() => server.url)
  const review = async (path: string, body: unknown) => {
    const res = await api.post(path, body, cookie)
    expect(res.status, `${path}: ${JSON.stringify(res.body)}`).toBe(200)
    return res.body
  }
  const reasonNote = (text: string) => ({ keyVersion: 1, reason: sealNote({ text, by: 'Ada Admin' }, inbox) })
  const boxPk = (receipt: string) => toB64(deriveReporterKeys(normaliseReceipt(receipt)).box.publicKey)
  /** The change as a reviewer's browser signs it for the reporter's thread. */
  const signed = (r: { id: string; receipt: string }, state: CaseState) => signedChange(server.dbFile, r.id, inbox, boxPk(r.receipt), state)
  const row = async (id: string) => (await sqlAll(server.dbFile, 'SELECT * FROM reports WHERE id = ?', [id]))[0]
  journey()

  beforeAll(async () => {
    ;[server, browser] = await Promise.all([startServer({ dataDir: tempDataDir('candour-e2e-status-') }), launchChromium()])
    // The reviewer works through the API with a software passkey, so the test holds the inbox keys.
    ;({ cookie, inboxId, inbox } = await firstAdminWithKeys(server))
    fs.mkdirSync(SHOTS, { recursive: true })
  })
  afterAll(async () => {
    await browser?.close()
    await server?.stop()
    if (server) fs.rmSync(server.dataDir, { recursive: true, force: true })
  })

  /** Opens /check on a phone and enters the code; returns the page on "Your report". */
  async function openThread(receipt: string, javaScriptEnabled: boolean): Promise<Page> {
    const page = await (await phoneContext(browser, { javaScriptEnabled })).newPage()
    page.context().setDefaultTimeout(15_000)
    await page.goto(`${server.url}/check`)
    if (javaScriptEnabled) await waitForHydration(page)
    await page.getByLabel('Receipt code').fill(receipt)
    await page.getByRole('button', { name: 'Open my report' }).click()
    await page.getByRole('heading', { name: 'Your report', exact: true }).waitFor()
    return page
  }
  const statusCard = async (page: Page) => {
    await page.waitForLoadState('domcontentloaded')
    return page.locator('[data-status-card]').innerText()
  }

  it('a reporter files a report with JavaScript on a phone; another is filed sealed through the API', async () => {
    const page = await (await phoneContext(browser)).newPage()
    await page.goto(`${server.url}/report`)
    await waitForHydration(page)
    await fillReport(page)
    await page.getByRole('button', { name: 'Continue to check your answers' }).click()
    await page.getByRole('button', { name: 'Send report' }).click()
    await page.getByRole('heading', { name: 'Your report has been sent' }).waitFor()
    a.receipt = (await page.locator('[data-receipt]').getAttribute('data-receipt')) ?? ''
    await page.context().close()
    const { receipt, body } = await sealedSubmission(inboxId, inbox, { categories: ['bullying'], whatHappened: 'Names at parade', role: 'witness' })
    expect((await json(`${server.url}/api/reports`, { body })).status).toBe(201)
    b.receipt = receipt
    for (const r of [a, b]) {
      const locator = deriveReporterKeys(normaliseReceipt(r.receipt)).locator
      r.id = (await sqlAll<{ id: string }>(server.dbFile, 'SELECT id FROM reports WHERE locator = ?', [locator]))[0].id
    }
  })

  it('before anyone acts, the reporter sees "Sent" and when a reviewer should have read it (no JS)', async () => {
    const page = await openThread(a.receipt, false)
    const card = await statusCard(page)
    expect(card).toContain('Received')
    expect(card).toContain(check.status.received.about)
    expect(card).toContain('Reviewers aim to tell you they have read it by')
    expect(card).toContain(`Sent on ${longDay(todayUtc())}`)
    await page.context().close()
  })

  it('a reviewer acknowledges, moves it to assessing with a reason, replies; a reply is forged in the database', async () => {
    await review('/api/review/triage/status', { reportId: a.id, to: 'acknowledged', ...(await signed(a, { status: 'acknowledged' })) })
    await review('/api/review/triage/status', { reportId: a.id, to: 'assessing', ...reasonNote(REASON), ...(await signed(a, { status: 'assessing' })) })
    const chain = await nextLink(server.dbFile, a.id)
    await review('/api/review/triage/reply', {
      reportId: a.id,
      keyVersion: 1,
      prev: chain.prev,
      envelope: sealReply({ text: REPLY, reviewer: 'Reviewer Wren', chain, state: { status: 'assessing' } }, inbox, boxPk(a.receipt)),
    })
    // Sealed with the real inbox encryption key (so it decrypts for the reporter) but signed by
    // an identity the reporter's self-note never pinned: what a server-side forger could do at best.
    const forged = sealReply(
      { text: FORGED, reviewer: 'Reviewer Wren', chain: null },
      { encryption: inbox.encryption, identity: newSignKeyPair() },
      boxPk(a.receipt),
    )
    await new Promise<void>((resolve, reject) => {
      const db = new sqlite3.Database(server.dbFile)
      db.run(
        `INSERT INTO messages (report_id, seq, author_kind, key_version, envelope, created_day)
         SELECT ?, MAX(seq) + 1, 'reviewer', 1, ?, ? FROM messages WHERE report_id = ?`,
        [a.id, JSON.stringify(forged), todayUtc(), a.id],
        (err) => db.close(() => (err ? reject(err) : resolve())),
      )
    })
    expect((await row(a.id)).status).toBe('assessing')
  })

  /** What both paths must show: the plain status, the real reply, the forged one as a notice only. */
  async function expectStatusAndForgery(page: Page) {
    const card = await statusCard(page)
    expect(card).toContain('Assessing')
    expect(card).toContain(check.status.assessing.about)
    expect(card).toContain('Reviewers aim to tell you how it is going by')
    expect(card).toContain(`Sent on ${longDay(todayUtc())}`)
    const text = await mainText(page)
    expect(text).toContain(REPLY)
    expect(await page.locator('[data-unverified]').count()).toBe(1)
    expect(await page.locator('[data-unverified]').innerText()).toContain('A message could not be verified and is not shown')
    // Not on screen, and not anywhere in the page either (no-JS pages carry their data inline).
    const html = await page.content()
    for (const secret of [FORGED, 'FORGED-HERON', REASON, 'REASON-OTTER']) {
      expect(text).not.toContain(secret)
      expect(html).not.toContain(secret)
    }
  }

  it('without JavaScript: plain-language status, the reply, and the forged reply flagged and never shown', async () => {
    const page = await openThread(a.receipt, false)
    await expectStatusAndForgery(page)
    await page.locator('[data-status-card]').screenshot({ path: `${SHOTS}/phone-status-card-nojs.png` })
    await page.locator('[data-unverified]').screenshot({ path: `${SHOTS}/phone-forged-reply-nojs.png` })
    await page.locator('[data-withdraw]').screenshot({ path: `${SHOTS}/phone-withdraw-section-nojs.png` })
    await page.screenshot({ path: `${SHOTS}/phone-thread-status-nojs.png`, fullPage: true })
    await page.context().close()
  })

  it('with JavaScript: the same, then asking to withdraw hides the form and says when it was asked', async () => {
    const page = await openThread(a.receipt, true)
    await expectStatusAndForgery(page)
    await page.locator('[data-status-card]').screenshot({ path: `${SHOTS}/phone-status-card-js.png` })
    await page.locator('[data-unverified]').screenshot({ path: `${SHOTS}/phone-forged-reply-js.png` })
    const section = page.locator('[data-withdraw]')
    expect(await section.innerText()).toMatch(/reviewers decide[\s\S]*deleted for good[\s\S]*receipt code stops working/i)
    await page.getByLabel(/I understand/).check()
    await page.getByRole('button', { name: 'Ask to withdraw my report' }).click()
    await page.getByText('Your request to withdraw was sent. A reviewer will decide.').waitFor()
    expect(await statusCard(page)).toContain(`You asked for this report to be withdrawn on ${longDay(todayUtc())}. A reviewer will decide.`)
    expect(await section.count()).toBe(0)
    await page.waitForFunction(() => document.activeElement?.tagName === 'H1')
    await page.locator('[data-status-card]').screenshot({ path: `${SHOTS}/phone-status-card-withdrawal-asked-js.png` })
    expect((await row(a.id)).withdrawal_requested_day).toBe(todayUtc())
    await page.context().close()
  })

  it('without JavaScript in another report: the box must be ticked, then the request is sent', async () => {
    const page = await openThread(b.receipt, false)
    const before = await row(b.id)
    // The browser's own check keeps the form from going without the tick, even with JS off.
    await page.getByRole('button', { name: 'Ask to withdraw my report' }).click()
    expect(await page.evaluate(() => (document.getElementById('withdraw-confirm') as HTMLInputElement).validity.valueMissing)).toBe(true)
    expect(await row(b.id)).toEqual(before)
    await page.getByLabel(/I understand/).check()
    await page.getByRole('button', { name: 'Ask to withdraw my report' }).click()
    await page.getByText('Your request to withdraw was sent. A reviewer will decide.').waitFor()
    expect(await statusCard(page)).toContain(`You asked for this report to be withdrawn on ${longDay(todayUtc())}. A reviewer will decide.`)
    expect(await page.locator('[data-withdraw]').count()).toBe(0)
    expect((await row(b.id)).withdrawal_requested_day).toBe(todayUtc())
    await page.context().close()
  })

  it('declined, then closed with an outcome: the reporter reads both in plain words and can ask again (no JS)', async () => {
    await review('/api/review/triage/withdrawal', { reportId: b.id, decision: 'decline' })
    await review('/api/review/triage/status', { reportId: b.id, to: 'acknowledged', ...(await signed(b, { status: 'acknowledged' })) })
    await review('/api/review/triage/status', {
      reportId: b.id,
      to: 'closed',
      outcome: 'no-further-action',
      ...reasonNote(REASON),
      ...(await signed(b, { status: 'closed', outcome: 'no-further-action' })),
    })
    const page = await openThread(b.receipt, false)
    const card = await statusCard(page)
    expect(card).toContain('Closed')
    expect(card).toContain(check.status.closed.about)
    expect(card).toContain('Outcome: No further action.')
    expect(card).toContain('Your request to withdraw was declined. A reviewer may explain in a reply.')
    expect(card).not.toContain('Reviewers aim')
    await page.locator('[data-withdraw]').waitFor()
    expect(await page.content()).not.toContain('REASON-OTTER')
    await page.locator('[data-status-card]').screenshot({ path: `${SHOTS}/phone-status-card-closed-declined-nojs.png` })
    await page.context().close()
  })

  it('once a reviewer accepts, the code matches nothing, and the page says a withdrawn report is deleted (JS)', async () => {
    await review('/api/review/triage/withdrawal', { reportId: a.id, decision: 'accept' })
    const page = await (await phoneContext(browser)).newPage()
    await page.goto(`${server.url}/check`)
    await waitForHydration(page)
    await page.getByLabel('Receipt code').fill(a.receipt)
    await page.getByRole('button', { name: 'Open my report' }).click()
    await page.getByText('If your report was withdrawn, it has been deleted and its code no longer works.').first().waitFor()
    expect(await row(a.id)).toBeUndefined()
    await page.context().close()
  })
})
