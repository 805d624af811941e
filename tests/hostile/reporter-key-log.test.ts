import fs from 'node:fs'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { deriveReporterKeys, fingerprint, headOf, newBoxKeyPair, openReport, parseReceipt, publishKey, ready, sealSecretTo, toB64 } from '../../crypto/index'
import type { Envelope, KeyLogEntry, KeyPair, PublishedKey } from '../../crypto/index'
import { openSelfNote } from '../../crypto/inbox'
import { successionEntry } from '../../crypto/key-log'
import { newSignKeyPair } from '../../crypto/keys'
import { fillReport, FOLLOWUP, mainText, REPORT, waitForHydration } from '../e2e/helpers'
import { launchChromium, phoneContext } from '../support/browser'
import { addServerVersion, foreignLog, nextVersion, storedLog } from '../support/key-log'
import { firstAdminWithKeys, reviewApi, sqlAll } from '../support/review-api'
import { tempDataDir } from '../support/server'
import { jsonAt, startAdversary, type Adversary, type Rewrite } from './adversary'
import { lieInLoader } from './rewrite-loader'

/**
 * The key log from the reporter's side, in Chromium on a phone, behind a server that lies. The
 * browser seals only to the newest key the log traces, shows the fingerprint of the identity it
 * traced (not the one the server names), and on return requires the log to hold the head its
 * receipt's self-note recorded. Each lie is judged on what the reporter sees and on what reached
 * the server: where the browser must refuse, no report or follow-up was sent at all.
 */
const ROUTE = 'routes/_reporter.report'
const NOT_TRACED = "This inbox's key could not be traced through its key log, so nothing was sealed or sent."
const BROKEN = 'The inbox’s keys are not the ones your report was sealed to'

let adv: Adversary
let browser: Browser
let admin: Awaited<ReturnType<typeof firstAdminWithKeys>>
let realPrint = ''
/** Every report body the adversary forwarded, in order. */
const reports: Array<{ envelope: Envelope; selfNote: string; keyVersion: number }> = []

const db = <T = any>(sql: string, params: unknown[] = []) => sqlAll<T>(adv.server.dbFile, sql, params)

// Keys are made while the cases are declared, so the library must be loaded first.
await ready()

beforeAll(async () => {
  ;[adv, browser] = await Promise.all([startAdversary({ dataDir: tempDataDir('candour-hostile-key-log-') }), launchChromium()])
  // The first admin enrols through the proxy, whose address is the portal's.
  admin = await firstAdminWithKeys({ ...adv.server, url: adv.url })
  realPrint = fingerprint(admin.inbox.identity.publicKey)
})

afterAll(async () => {
  await browser?.close()
  await adv?.stop()
  if (adv) fs.rmSync(adv.server.dataDir, { recursive: true, force: true })
})

/** Tells `rewrite` (or the truth) from now on, keeping each report the browser sends. */
function tell(rewrite?: Rewrite) {
  adv.lie(rewrite, (req) => {
    if (req.method === 'POST' && req.url === '/api/reports') reports.push(JSON.parse(req.body.toString('utf8')))
    return undefined
  })
}

/** The requests the browser made since `from` that carried something sealed (or asked to seal). */
const sealingRequests = (from: number) =>
  adv.seen.slice(from).filter((s) => /^(POST \/api\/(reports|reporter\/messages|reporter\/self-note)|GET \/api\/pow\?purpose=report)/.test(s))

async function phone(): Promise<Page> {
  const context = await phoneContext(browser)
  context.setDefaultTimeout(15_000)
  return context.newPage()
}

/** Fills a report and presses Send, having reached /report by a full load or by the start page's link (a `?_data=` fetch). */
async function fillAndSend(page: Page, via: 'html' | 'data') {
  if (via === 'html') {
    await page.goto(`${adv.url}/report`)
    await waitForHydration(page)
  } else {
    await page.goto(`${adv.url}/`)
    await waitForHydration(page)
    await page.getByRole('link', { name: 'Make a report' }).first().click()
  }
  await page.getByRole('heading', { name: 'Make a report' }).waitFor()
  await fillReport(page)
  await page.getByRole('button', { name: 'Continue to check your answers' }).click()
  await page.getByRole('heading', { name: 'Check your answers' }).waitFor()
  await page.getByRole('button', { name: 'Send report' }).click()
}

/** Nothing sealed reached the server since `from`, and the reporter is told why with no receipt. */
async function expectRefused(page: Page, from: number) {
  await page.getByRole('heading', { name: /^Your report (was not sent|has been sent)$/ }).waitFor()
  expect(sealingRequests(from)).toEqual([])
  expect(await mainText(page)).toContain(NOT_TRACED)
  expect(await page.locator('[data-receipt]').count()).toBe(0)
}

/** The keys a receipt gives, as the reporter's browser derives them. */
function receiptKeys(receipt: string) {
  const parsed = parseReceipt(receipt)
  if (!parsed.ok) throw new Error(parsed.message)
  return deriveReporterKeys(parsed.normalised)
}

const shownPrint = (page: Page) => page.locator('[data-fingerprint]').innerText()
const sealedTo = (keys: KeyPair, env: Envelope) => JSON.stringify(openReport(env, { as: 'inbox', inbox: keys }).answers)

describe('a reporter sending a first report (phone, JavaScript on)', () => {
  it('told the truth: the page shows the fingerprint of the inbox identity, and the report opens with the inbox key', async () => {
    tell(undefined)
    const page = await phone()
    const from = adv.seen.length
    await fillAndSend(page, 'html')
    await page.getByRole('heading', { name: 'Your report has been sent' }).waitFor()
    expect(await shownPrint(page)).toBe(realPrint)
    expect(sealingRequests(from)).toContain('POST /api/reports')
    expect(sealedTo(admin.inbox.encryption, reports.at(-1)!.envelope)).toContain(REPORT.whatHappened)
    await page.context().close()
  })

  for (const [who, signer] of [
    ['a key the server holds', () => newSignKeyPair()],
    ['the inbox identity itself, used outside the log', () => admin.inbox.identity],
  ] as const) {
    it(`a version 2 the server lists but its log does not, signed by ${who}: nothing is sealed or sent`, async () => {
      tell(undefined)
      const page = await phone()
      const from = adv.seen.length
      try {
        await addServerVersion(adv.server.dbFile, admin.inboxId, signer())
        await fillAndSend(page, 'html')
        await expectRefused(page, from)
        // The log itself still traces: the page names the real identity, and refuses its unlogged key.
        expect(await shownPrint(page)).toBe(realPrint)
      } finally {
        await page.context().close()
        await db('DELETE FROM inbox_key_wraps WHERE inbox_id = ? AND key_version = 2', [admin.inboxId])
        await db('DELETE FROM inbox_keys WHERE inbox_id = ? AND key_version = 2', [admin.inboxId])
      }
    })
  }

  const serverKey = newSignKeyPair()
  const lies: Array<[string, (inbox: { log: KeyLogEntry[]; key: PublishedKey }) => void, boolean]> = [
    [
      'a version signed by the server appended to the log',
      (inbox) => {
        const forged = nextVersion(inbox.log, serverKey)
        inbox.log = [...inbox.log, forged.entry]
        inbox.key = forged.key
      },
      true,
    ],
    ['a key the log does not name', (inbox) => void (inbox.key = publishKey({ identity: serverKey, encryption: newBoxKeyPair(), keyVersion: 1 })), false],
  ]
  for (const via of ['html', 'data'] as const)
    for (const [lie, edit, logBroken] of lies)
      it(`the page's loader data (${via === 'html' ? 'the HTML context' : 'the ?_data= JSON'}) offers ${lie}: nothing is sealed or sent`, async () => {
        const page = await phone()
        const from = adv.seen.length
        try {
          tell(lieInLoader('/report', ROUTE, (d) => (edit(d.inboxes[0]), d), via))
          await fillAndSend(page, via)
          await expectRefused(page, from)
          // A log that does not trace is named on the page, in place of any fingerprint.
          if (logBroken) {
            await page.locator('[data-untraceable]').getByText('could not be checked').waitFor()
            expect(await page.locator('[data-fingerprint]').count()).toBe(0)
          } else expect(await shownPrint(page)).toBe(realPrint)
        } finally {
          tell(undefined)
          await page.context().close()
        }
      })

  it('a whole other identity shown for the inbox: the page shows the fingerprint that log traces to, and only its key opens the report', async () => {
    const foreign = foreignLog()
    const foreignPrint = fingerprint(foreign.identity.publicKey)
    const page = await phone()
    const sent = reports.length
    try {
      // The server keeps naming the real fingerprint beside the other log: the browser shows only what it traced.
      tell(lieInLoader('/report', ROUTE, (d) => ({ ...d, inboxes: [{ ...d.inboxes[0], log: foreign.log, key: foreign.key, fingerprint: realPrint }] })))
      await page.goto(`${adv.url}/report`)
      await waitForHydration(page)
      await page.locator('[data-fingerprint]', { hasText: foreignPrint }).waitFor()
      await fillAndSend(page, 'html')
      await page.getByRole('heading', { name: 'Your report has been sent' }).waitFor()
      expect(await shownPrint(page)).toBe(foreignPrint)
      expect(await mainText(page)).not.toContain(realPrint)
      const receipt = (await page.locator('[data-receipt]').getAttribute('data-receipt'))!
      expect(reports.length).toBe(sent + 1)
      const report = reports.at(-1)!
      expect(sealedTo(foreign.encryption, report.envelope)).toContain(REPORT.whatHappened)
      expect(() => sealedTo(admin.inbox.encryption, report.envelope)).toThrow()
      // The receipt pins the identity the reporter was shown, so a return is judged against it.
      expect(openSelfNote(report.selfNote, receiptKeys(receipt).noteKey).inboxSignPk).toBe(toB64(foreign.identity.publicKey))
    } finally {
      tell(undefined)
      await page.context().close()
    }
  })
})

describe('a reporter returning to a report (phone, JavaScript on)', () => {
  let receipt = ''
  let honestLog: KeyLogEntry[] = []
  const selfNoteOf = async () => {
    const { locator, noteKey } = receiptKeys(receipt)
    const [row] = await db<{ self_note: string }>('SELECT self_note FROM reports WHERE locator = ?', [locator])
    return openSelfNote(row.self_note, noteKey)
  }

  async function openReportWithReceipt(): Promise<Page> {
    const page = await phone()
    await page.goto(`${adv.url}/check`)
    await waitForHydration(page)
    await page.getByLabel('Receipt code').fill(receipt)
    await page.getByRole('button', { name: 'Open my report' }).click()
    await page.getByRole('heading', { name: 'Your report', exact: true }).waitFor()
    return page
  }

  beforeAll(async () => {
    tell(undefined)
    // An honest rotation through the API, as a member's browser makes it, so the log has a past.
    const next = nextVersion(await storedLog(adv.server.dbFile, admin.inboxId), admin.inbox.identity)
    const pk = admin.reviewer.key.publicKey
    const wraps = [
      { reviewerId: admin.reviewer.id, boxSkWrap: sealSecretTo(next.encryption.privateKey, pk), signSkWrap: sealSecretTo(admin.inbox.identity.privateKey, pk) },
    ]
    const rotated = await reviewApi(() => adv.url).post('/api/review/rotate', { inboxId: admin.inboxId, key: next.key, log: [next.entry], wraps }, admin.cookie)
    expect(rotated.status, JSON.stringify(rotated.body)).toBe(201)
    honestLog = await storedLog(adv.server.dbFile, admin.inboxId)
    const page = await phone()
    await fillAndSend(page, 'html')
    await page.getByRole('heading', { name: 'Your report has been sent' }).waitFor()
    receipt = (await page.locator('[data-receipt]').getAttribute('data-receipt'))!
    await page.context().close()
  })

  it('the receipt remembers the head of the log it sealed to, and the truth offers the message box', async () => {
    expect(honestLog.length).toBe(2)
    expect((await selfNoteOf()).logHead).toBe(headOf(honestLog).hash)
    const page = await openReportWithReceipt()
    await page.getByLabel('Add a message').waitFor()
    expect(await page.locator('[data-key-log]').count()).toBe(0)
    await page.context().close()
  })

  const foreign = foreignLog()
  const lies: Array<[string, (t: { log: KeyLogEntry[]; keys: PublishedKey[] }) => void]> = [
    [
      'rolled back to the log before the rotation',
      (t) => {
        t.log = t.log.slice(0, 1)
        t.keys = t.keys.filter((k) => k.keyVersion === 1)
      },
    ],
    [
      'forked from the same genesis, signed by a thief of the identity',
      (t) => {
        const fork = nextVersion(t.log.slice(0, 1), admin.inbox.identity)
        t.log = [t.log[0], fork.entry]
        t.keys = [...t.keys.filter((k) => k.keyVersion === 1), fork.key]
      },
    ],
    [
      // A removed member who kept the identity, with the server: their own successor, then keys of theirs.
      'forked by a competing succession of the identity',
      (t) => {
        const successor = newSignKeyPair()
        const succession = successionEntry(headOf(t.log.slice(0, 1)), admin.inbox.identity, successor)
        const theirs = nextVersion([t.log[0], succession], successor)
        t.log = [t.log[0], succession, theirs.entry]
        t.keys = [...t.keys.filter((k) => k.keyVersion === 1), theirs.key]
      },
    ],
    // Emptied, the inbox would look not yet logged, as before the log existed: the receipt knows better.
    ['emptied', (t) => void (t.log = [])],
    [
      'swapped for a whole other identity',
      (t) => {
        t.log = foreign.log
        t.keys = [foreign.key]
      },
    ],
  ]
  for (const [lie, edit] of lies)
    it(`the log ${lie}: the thread shows the alert and no message box, and nothing is sealed`, async () => {
      const from = adv.seen.length
      let page: Page | undefined
      try {
        tell(jsonAt('GET', /^\/api\/reporter\/thread$/, (t) => (edit(t), t)))
        page = await openReportWithReceipt()
        await page.locator('[data-key-log="broken"]').getByRole('heading', { name: BROKEN }).waitFor()
        await page.locator('[data-cannot-seal]').waitFor()
        expect(await page.getByLabel('Add a message').count()).toBe(0)
        expect(await page.getByRole('button', { name: 'Send message' }).count()).toBe(0)
        // Nor is the lie's head written into the self-note as the one to trust next time.
        expect(sealingRequests(from)).toEqual([])
      } finally {
        tell(undefined)
        await page?.context().close()
      }
    })

  it('told the truth again, the receipt still holds the honest head and a follow-up is sealed and sent', async () => {
    expect((await selfNoteOf()).logHead).toBe(headOf(honestLog).hash)
    const from = adv.seen.length
    const page = await openReportWithReceipt()
    expect(await page.locator('[data-key-log]').count()).toBe(0)
    await page.getByLabel('Add a message').fill(FOLLOWUP)
    await page.getByRole('button', { name: 'Send message' }).click()
    await page.getByText('sealed on this device and sent').waitFor()
    // The thread read again after sending: the self-note records the follow-up as the thread's head.
    await expect.poll(() => sealingRequests(from)).toEqual(['POST /api/reporter/messages', 'POST /api/reporter/self-note'])
    await page.context().close()
  })
})
