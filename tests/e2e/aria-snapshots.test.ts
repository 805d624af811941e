import fs from 'node:fs'
import path from 'node:path'
import type { Browser, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium } from '../support/browser'
import { startServer, tempDataDir, type RunningServer } from '../support/server'
import { fillReport, journey, stopAll, waitForHydration } from './helpers'
import { follow, reviewerAndReporter } from './reviewer-helpers'

/**
 * The accessibility tree of the pages a screen reader user must understand best: the receipt
 * (read out as its groups, never as one run of letters), the reporter's thread and the report a
 * reviewer opens. Each is compared with the text under tests/e2e/__aria__/ (.txt, so Prettier
 * leaves Playwright's YAML as it is), with what changes from run to run (codes, names, days,
 * times) put in words. After a deliberate change to the
 * markup, run with UPDATE_ARIA=1 to rewrite the files, and read the diff before committing it.
 */
const DIR = path.join(import.meta.dirname, '__aria__')
const INBOX = 'Professional Standards'

let server: RunningServer
let browser: Browser
let reporter: Page
let reviewer: Page
let receipt = ''
const known: Array<[string, string]> = []

const MONTHS = 'January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec'

/** The snapshot with every value that differs between runs replaced by what it stands for. */
function normalise(snapshot: string): string {
  let s = snapshot
  for (const [value, name] of known) s = s.split(value).join(name)
  return s
    .replace(/\d{2}\/\d{2}\/\d{4}, \d{2}:\d{2}:\d{2} UTC/g, '<time>')
    .replace(new RegExp(`\\b\\d{1,2} (?:${MONTHS}) \\d{4}\\b`, 'g'), '<day>')
    .replace(/\b[0-9A-Z]{4}(?: [0-9A-Z]{4}){3,}\b/g, '<fingerprint>')
    .replace(/\/review\/inbox\/[A-Za-z0-9_-]+/g, '/review/inbox/<id>')
}

/** Compares with the committed text, or writes it when asked to. */
async function expectTree(locator: Locator, name: string) {
  const got = `${normalise(await locator.ariaSnapshot())}\n`
  const file = path.join(DIR, `${name}.txt`)
  if (process.env.UPDATE_ARIA) {
    fs.mkdirSync(DIR, { recursive: true })
    fs.writeFileSync(file, got)
  }
  expect(got).toBe(fs.readFileSync(file, 'utf8'))
}

describe('accessibility tree snapshots: receipt, reporter thread, reviewer report', () => {
  journey()
  beforeAll(async () => {
    ;[server, browser] = await Promise.all([startServer({ dataDir: tempDataDir('candour-e2e-aria-') }), launchChromium()])
    ;({ reviewer, reporter } = await reviewerAndReporter(browser, server, INBOX))
  })
  afterAll(() => stopAll(server, browser))

  it('the receipt is read as its groups, with the advice and the retype check', async () => {
    await reporter.goto(`${server.url}/report`)
    await waitForHydration(reporter)
    await fillReport(reporter)
    await reporter.getByRole('button', { name: 'Continue to check your answers' }).click()
    await reporter.getByRole('button', { name: 'Send report' }).click()
    await reporter.getByRole('heading', { name: 'Your report has been sent' }).waitFor()
    receipt = (await reporter.locator('[data-receipt]').getAttribute('data-receipt'))!
    const groups = receipt.split('-')
    // The groups as the tree reads them, one word each with a pause between (each box is a block
    // of its own, hence the space before each comma); a lone group could be part of other words.
    known.push([groups.join(' , '), groups.map((_, i) => `G${i + 1}`).join(' , ')])
    await expectTree(reporter.locator('section.receipt'), 'receipt')
    // Chromium's own tree, which screen readers are given: the code is its own texts, each group
    // one, in order with a comma between, and no name laid over them to be read instead.
    const cdp = await reporter.context().newCDPSession(reporter)
    const { nodes } = await cdp.send('Accessibility.getFullAXTree')
    const text = (n: (typeof nodes)[number]) => String(n.name?.value ?? '')
    const texts = nodes.filter((n) => n.role?.value === 'StaticText').map(text)
    expect(texts.join('')).toContain(groups.join(','))
    expect(groups.filter((g) => !texts.includes(g))).toEqual([])
    expect(nodes.filter((n) => n.role?.value !== 'StaticText' && groups.every((g) => text(n).includes(g))).map(text)).toEqual([])
    await cdp.detach()
  })

  it('the report a reviewer opens: case controls, answers, thread, reply and note boxes', async () => {
    await follow(reviewer, /^Candour/)
    await follow(reviewer, INBOX)
    const link = reviewer.locator('[data-report] h2 a')
    const pseudonym = (await link.innerText()).trim()
    await link.click()
    await reviewer.getByRole('heading', { name: 'Who opened this' }).waitFor()
    const me = (await reviewer.locator('main .hint').first().innerText()).match(/as (Reviewer \w+)/)![1]
    known.unshift([pseudonym, '<report pseudonym>'], [me, '<reviewer pseudonym>'])
    await reviewer.getByRole('button', { name: 'Acknowledge' }).click()
    await reviewer.getByText('Status changed.').waitFor()
    await reviewer.getByLabel('Reply to the reporter').fill('Thank you. Can you tell us who else was there?')
    await reviewer.getByRole('button', { name: 'Send reply' }).click()
    await reviewer.getByText('Reply sealed in this browser and sent.').waitFor()
    await reviewer.getByLabel('Internal note').fill('Check the duty roster for that Tuesday.')
    await reviewer.getByRole('button', { name: 'Add note' }).click()
    await reviewer.getByText('Internal note saved.').waitFor()
    await expectTree(reviewer.locator('main'), 'reviewer-report')
  })

  it('the reporter’s thread: status, their report, the reply, and the box to answer', async () => {
    await reporter.goto(`${server.url}/check`)
    await waitForHydration(reporter)
    await reporter.getByLabel('Receipt code').fill(receipt)
    await reporter.getByRole('button', { name: 'Open my report' }).click()
    await reporter.getByRole('heading', { name: 'Your report', exact: true }).waitFor()
    await reporter.getByText('Can you tell us who else was there?').waitFor()
    await expectTree(reporter.locator('main'), 'reporter-thread')
  })
})
