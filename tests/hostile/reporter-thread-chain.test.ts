import fs from 'node:fs'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { deriveReporterKeys, normaliseReceipt, ready, sealNote, sealReply } from '../../crypto/index'
import { openSelfNote } from '../../crypto/inbox'
import checkCy from '../../common/i18n/cy/check.json'
import checkEn from '../../common/i18n/en/check.json'
import { waitForHydration } from '../e2e/helpers'
import { json } from '../support/http'
import { launchChromium, phoneContext } from '../support/browser'
import { nextLink, signedChange } from '../support/chain'
import { firstAdminWithKeys, reviewApi, sqlAll } from '../support/review-api'
import { sealedSubmission } from '../support/seal'
import { tempDataDir } from '../support/server'
import { jsonAt, startAdversary, type Adversary } from './adversary'

/**
 * The reporter's thread behind a server that lies, in Chromium on a phone with JavaScript on.
 * Every message names its report, its place and the link of the one before it, signed; the
 * server can drop, reorder, repeat or cut back messages and claim a status, and each lie must be
 * said in words on the page. The adversary holds no key: it only reshapes what it serves.
 */
const REPLY = 'We have read your report and are looking into it.'
const SECOND = 'Could you tell us which shift this was?'
const MISSING = 'A message is missing here.'
const REORDERED = 'This message is out of order'
const REPEATED = 'This message was shown here a second time'
const UNSIGNED = 'The status shown here was not set by a reviewer'
const CUT = 'Messages you saw before are missing'

let adv: Adversary
let browser: Browser
let receipt = ''
let reportId = ''
/** A reviewer's reply sent through the API, as another browser would while the reporter types. */
let replyNow: (text: string) => Promise<number> = async () => 0

await ready()

beforeAll(async () => {
  ;[adv, browser] = await Promise.all([startAdversary({ dataDir: tempDataDir('candour-hostile-chain-') }), launchChromium()])
  const admin = await firstAdminWithKeys({ ...adv.server, url: adv.url })
  const answers = { categories: ['bullying'], whatHappened: 'Names at parade', when: '', where: '', who: '', role: 'witness', contact: '' }
  const sub = await sealedSubmission(admin.inboxId, admin.inbox, answers)
  const api = reviewApi(() => adv.url)
  const sent = await json(`${adv.url}/api/reports`, { body: sub.body })
  expect(sent.status, JSON.stringify(sent.body)).toBe(201)
  receipt = sub.receipt
  reportId = sub.body.reportId
  const [row] = await sqlAll<{ id: string }>(adv.server.dbFile, 'SELECT id FROM reports WHERE id = ?', [reportId])
  expect(row?.id, 'the report is stored under the id it signed').toBe(reportId)
  // An honest reviewer's browser: a reply, a change of status, a second reply, each on the head.
  const boxPk = sub.body.boxPk
  replyNow = async (text) => {
    const chain = await nextLink(adv.server.dbFile, reportId)
    const envelope = sealReply({ text, reviewer: 'Reviewer Wren', chain, state: { status: 'assessing' } }, admin.inbox, boxPk)
    return (await api.post('/api/review/triage/reply', { reportId, keyVersion: 1, prev: chain.prev, envelope }, admin.cookie)).status
  }
  for (const step of ['reply', 'status', 'reply2'] as const) {
    const chain = await nextLink(adv.server.dbFile, reportId)
    const answer =
      step === 'status'
        ? await api.post(
            '/api/review/triage/status',
            {
              reportId,
              to: 'assessing',
              reason: sealNote({ text: 'Checking the rota', by: 'Ada Admin' }, admin.inbox),
              ...(await signedChange(adv.server.dbFile, reportId, admin.inbox, boxPk, { status: 'assessing' })),
            },
            admin.cookie,
          )
        : await api.post(
            '/api/review/triage/reply',
            {
              reportId,
              keyVersion: 1,
              prev: chain.prev,
              envelope: sealReply(
                {
                  text: step === 'reply' ? REPLY : SECOND,
                  reviewer: 'Reviewer Wren',
                  chain,
                  state: { status: step === 'reply' ? 'acknowledged' : 'assessing' },
                },
                admin.inbox,
                boxPk,
              ),
            },
            admin.cookie,
          )
    expect(answer.status, JSON.stringify(answer.body)).toBeLessThan(300)
  }
})

afterAll(async () => {
  await browser?.close()
  await adv?.stop()
  if (adv) fs.rmSync(adv.server.dataDir, { recursive: true, force: true })
})

async function openThread(lang: 'en' | 'cy' = 'en'): Promise<Page> {
  const context = await phoneContext(browser)
  context.setDefaultTimeout(15_000)
  const page = await context.newPage()
  const words = lang === 'cy' ? checkCy : checkEn
  await page.goto(`${adv.url}/check${lang === 'cy' ? '?lang=cy' : ''}`)
  await waitForHydration(page)
  await page.getByLabel(words.enter.label).fill(receipt)
  await page.getByRole('button', { name: words.enter.submit }).click()
  await page.getByRole('heading', { name: words.thread.heading, exact: true }).waitFor()
  await page.locator('[data-status-card]').waitFor()
  return page
}
const text = (page: Page) => page.locator('main').innerText()
const lie = (edit: (t: { messages: unknown[]; status: string; outcome: string | null }) => void) =>
  adv.lie(
    jsonAt('GET', /^\/api\/reporter\/thread$/, (body) => {
      edit(body)
      return body
    }),
  )

describe('a reporter reading replies behind a server that lies (phone, JavaScript on)', () => {
  it('the truth: every message in place, the signed status shown, and the head recorded in the self-note', async () => {
    adv.lie(undefined)
    const page = await openThread()
    const words = await text(page)
    expect(words).toContain(REPLY)
    expect(words).toContain(SECOND)
    expect(words).toContain('Set the status to “Assessing”.')
    expect(words).toContain('Names at parade')
    expect(await page.locator('[data-status-card]').innerText()).toContain('Assessing')
    expect(await page.locator('.chain-notice, [data-chain-alert]').count()).toBe(0)
    await expect
      .poll(async () => {
        const keys = deriveReporterKeys(normaliseReceipt(receipt))
        const [r] = await sqlAll<{ self_note: string }>(adv.server.dbFile, 'SELECT self_note FROM reports WHERE id = ?', [reportId])
        return openSelfNote(r.self_note, keys.noteKey).threadHead?.seq
      })
      .toBe(3)
    await page.context().close()
  })

  it('a dropped message is said where it was', async () => {
    lie((t) => t.messages.splice(1, 1))
    const page = await openThread()
    expect(await text(page)).toContain(MISSING)
    expect(await page.locator('[data-place="missing"]').count()).toBeGreaterThan(0)
    await page.screenshot({ path: '/tmp/chain-missing.png', fullPage: true })
    await page.context().close()
  })

  it('messages served out of order are said to be', async () => {
    // Numbered again in the new order: a reader that trusted the numbers would see nothing wrong.
    lie((t) => {
      const seqs = (t.messages as { seq: number }[]).map((m) => m.seq)
      t.messages.reverse()
      ;(t.messages as { seq: number }[]).forEach((m, i) => (m.seq = seqs[i]))
    })
    const page = await openThread()
    expect(await text(page)).toContain(REORDERED)
    await page.context().close()
  })

  it('a message served twice is shown once, and the copy is said to be one', async () => {
    lie((t) => t.messages.push(structuredClone(t.messages[0])))
    const page = await openThread()
    const words = await text(page)
    expect(words).toContain(REPEATED)
    expect(words.split(REPLY).length - 1).toBe(1)
    await page.context().close()
  })

  it('a status nobody signed is not shown as the status, and the page says so', async () => {
    lie((t) => {
      t.status = 'closed'
      t.outcome = 'action-taken'
    })
    const page = await openThread()
    expect(await text(page)).toContain(UNSIGNED)
    const card = await page.locator('[data-status-card]').innerText()
    expect(card).toContain('Assessing')
    expect(card).not.toContain('Closed')
    await page.screenshot({ path: '/tmp/chain-unsigned.png', fullPage: true })
    await page.context().close()
  })

  it('a thread cut back to before what this receipt saw is caught on return', async () => {
    lie((t) => t.messages.splice(1))
    const page = await openThread()
    expect(await text(page)).toContain(CUT)
    expect(await page.locator('[data-chain-alert="cut"]').count()).toBe(1)
    await page.context().close()
  })

  it('a follow-up written while a reviewer replied is refused, the reply appears, the words stay, and it goes on the new head', async () => {
    adv.lie(undefined)
    const page = await openThread()
    const words = 'I have remembered who else was there.'
    await page.getByLabel('Add a message').fill(words)
    expect(await replyNow('Is there anything you would like to add?')).toBe(200)
    await page.getByRole('button', { name: 'Send message' }).click()
    await page.getByText('A new message arrived in this conversation while you were writing').waitFor()
    await page.getByText('Is there anything you would like to add?').waitFor()
    expect(await page.getByLabel('Add a message').inputValue()).toBe(words)
    await page.getByRole('button', { name: 'Send message' }).click()
    await page.getByText('sealed on this device and sent').waitFor()
    expect(await page.locator('.chain-notice, [data-chain-alert]').count()).toBe(0)
    await page.context().close()
  })

  it('in Welsh, the same lies are said in Welsh', async () => {
    lie((t) => {
      t.messages.splice(1)
      t.status = 'closed'
    })
    const page = await openThread('cy')
    const words = await text(page)
    expect(words).toContain(checkCy.chain.cutHeading)
    expect(words).toContain(checkCy.chain.tellPsd)
    expect(words).toContain(`Mae’r wefan yn dweud bod eich adroddiad yn “${checkCy.status.closed.name}”`)
    await page.screenshot({ path: '/tmp/chain-cy.png', fullPage: true })
    await page.context().close()
    adv.lie(undefined)
  })
})
