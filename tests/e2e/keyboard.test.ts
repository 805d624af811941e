import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium } from '../support/browser'
import { startServer, tempDataDir, type RunningServer } from '../support/server'
import { journey, receiptTail, stopAll, waitForHydration } from './helpers'
import { reviewerAndReporter } from './reviewer-helpers'

/**
 * Keyboard only: every move below is Tab, Shift+Tab, Enter, Space or an arrow key, and text is
 * typed only into a field the keyboard reached. At every stop the focus must be visible (an
 * outline or a ring on :focus-visible), and each new step must put the focus on its heading or
 * its error summary, where a screen reader starts reading.
 */
const INBOX = 'Professional Standards'

type Stop = { label: string; tag: string; inMain: boolean; visible: boolean; isHeading: boolean; errorSummary: boolean }

/** What has the focus now, named as a person would find it, and whether it can be seen. */
function focused(page: Page): Promise<Stop> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null
    if (!el || el === document.body) return { label: '(nothing)', tag: 'body', inMain: false, visible: false, isHeading: false, errorSummary: false }
    const labels = (el as HTMLInputElement).labels
    const label = (el.getAttribute('aria-label') ?? (labels?.length ? labels[0].innerText : el.innerText) ?? '').replace(/\s+/g, ' ').trim()
    const style = getComputedStyle(el)
    const ring = el.matches(':focus-visible') && ((style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none')
    return {
      label,
      tag: el.tagName.toLowerCase(),
      inMain: !!el.closest('main'),
      visible: ring,
      isHeading: /^h[1-6]$/i.test(el.tagName),
      errorSummary: el.classList.contains('error-summary'),
    }
  })
}

/**
 * Tab (or Shift+Tab) until the focus is on something whose name matches, checking at every stop
 * on the way that the focus is visible. Fails if it is not reached within `max` stops.
 */
async function tabTo(page: Page, name: string | RegExp, opts: { back?: boolean; max?: number } = {}): Promise<Stop> {
  const seen: string[] = []
  for (let i = 0; i < (opts.max ?? 60); i++) {
    await page.keyboard.press(opts.back ? 'Shift+Tab' : 'Tab')
    const stop = await focused(page)
    seen.push(stop.label)
    // Past the page's last stop the focus leaves for the browser's own controls, then comes back.
    if (stop.tag === 'body') continue
    expect(stop.visible, `focus is visible on “${stop.label}” (${stop.tag})`).toBe(true)
    if (typeof name === 'string' ? stop.label === name : name.test(stop.label)) return stop
  }
  throw new Error(`never reached “${name}” by ${opts.back ? 'Shift+Tab' : 'Tab'}; stops: ${seen.join(' | ')}`)
}

/** The step's heading (or its error summary) holds the focus once the step has appeared. */
async function expectFocusOnStep(page: Page, heading: string | RegExp) {
  const moved = await page
    .waitForFunction(() => {
      const el = document.activeElement
      return !!el && (/^H1$/.test(el.tagName) || el.classList.contains('error-summary'))
    })
    .then(() => true)
    .catch(() => false)
  if (!moved) throw new Error(`the focus did not move to the step’s heading “${heading}”: it is on “${(await focused(page)).label}”`)
  const stop = await focused(page)
  if (typeof heading === 'string') expect(stop.label).toBe(heading)
  else expect(stop.label).toMatch(heading)
}

let server: RunningServer
let browser: Browser
let reporter: Page
let reviewer: Page
let receipt = ''

describe('keyboard only: filing, checking replies and triage', () => {
  journey()
  beforeAll(async () => {
    ;[server, browser] = await Promise.all([startServer({ dataDir: tempDataDir('candour-e2e-keyboard-') }), launchChromium()])
    // Setting up is not the journey under test: it makes the inbox the reporter sends to.
    ;({ reviewer, reporter } = await reviewerAndReporter(browser, server, INBOX))
  })
  afterAll(() => stopAll(server, browser))

  it('a reporter on a phone skips the header, files a report and keeps the receipt', async () => {
    await reporter.goto(`${server.url}/`)
    await waitForHydration(reporter)
    // The skip link is the first stop, and it takes the focus past the header into the page.
    const first = await tabTo(reporter, 'Skip to main content', { max: 1 })
    expect(first.inMain).toBe(false)
    await reporter.keyboard.press('Enter')
    expect(await reporter.evaluate(() => document.activeElement?.id)).toBe('main-content')
    const next = await tabTo(reporter, 'Make a report', { max: 1 })
    expect(next.inMain).toBe(true)
    await reporter.keyboard.press('Enter')
    await reporter.waitForURL(/\/report$/)
    // A move within the app puts the focus on the new page's heading, not nowhere.
    await expectFocusOnStep(reporter, 'Make a report')
    await waitForHydration(reporter)

    // Sent empty: the focus goes to the error summary, and its first link to the field it names.
    await tabTo(reporter, 'Continue to check your answers')
    await reporter.keyboard.press('Enter')
    await expectFocusOnStep(reporter, /There is a problem/)
    await tabTo(reporter, /kind of behaviour|at least one/i, { max: 3 })
    await reporter.keyboard.press('Enter')
    expect((await focused(reporter)).label).toBe('Racism')

    await reporter.keyboard.press('Space')
    await tabTo(reporter, 'Bullying or "banter"')
    await reporter.keyboard.press('Space')
    await tabTo(reporter, 'What happened?')
    await reporter.keyboard.type('The sergeant called it banter in the shift group chat')
    await tabTo(reporter, 'Roughly when? (optional)')
    await reporter.keyboard.type('Last Tuesday')
    // The radio group is one stop; the arrow keys choose within it.
    await tabTo(reporter, 'It was aimed at me')
    await reporter.keyboard.press('ArrowDown')
    expect((await focused(reporter)).label).toBe('I saw or heard it')
    expect(await reporter.getByLabel('I saw or heard it').isChecked()).toBe(true)
    // Back up a stop with Shift+Tab to add where it happened, then on to continue.
    await tabTo(reporter, 'Where, or which team? (optional)', { back: true })
    await reporter.keyboard.type('Response team')
    await tabTo(reporter, 'Continue to check your answers')
    await reporter.keyboard.press('Enter')
    await expectFocusOnStep(reporter, 'Check your answers')

    await tabTo(reporter, 'Send report')
    await reporter.keyboard.press('Enter')
    await expectFocusOnStep(reporter, 'Your report has been sent')
    receipt = (await reporter.locator('[data-receipt]').getAttribute('data-receipt'))!
    await tabTo(reporter, 'To check you have it, type the end of your code')
    await reporter.keyboard.type(receiptTail(receipt))
    await tabTo(reporter, 'I have kept my code')
    await reporter.keyboard.press('Enter')
    await expectFocusOnStep(reporter, 'Thank you')
  })

  it('the reporter comes back, opens the report with the receipt and sends a follow-up', async () => {
    await reporter.goto(`${server.url}/check`)
    await waitForHydration(reporter)
    await tabTo(reporter, 'Receipt code')
    await reporter.keyboard.type(receipt)
    await tabTo(reporter, 'Open my report')
    await reporter.keyboard.press('Enter')
    await expectFocusOnStep(reporter, 'Your report')
    await tabTo(reporter, 'Add a message')
    await reporter.keyboard.type('I remembered the date: it was the 3rd.')
    await tabTo(reporter, 'Send message')
    await reporter.keyboard.press('Enter')
    await reporter.getByText('sealed on this device and sent').waitFor()
  })

  it('a reviewer opens the report from the inbox, sets its status and replies', async () => {
    // From where setup left off: the keys are unlocked in this tab, so every move is by link.
    await tabTo(reviewer, /^Candour/)
    await reviewer.keyboard.press('Enter')
    await expectFocusOnStep(reviewer, 'Hello, Dana Reviewer')
    await tabTo(reviewer, INBOX)
    await reviewer.keyboard.press('Enter')
    await reviewer.locator('[data-inbox-ready]').waitFor()
    await expectFocusOnStep(reviewer, INBOX)
    const pseudonym = (await reviewer.locator('[data-report] h2 a').innerText()).trim()
    await tabTo(reviewer, pseudonym)
    await reviewer.keyboard.press('Enter')
    await reviewer.getByRole('heading', { name: 'Who opened this' }).waitFor()
    await expectFocusOnStep(reviewer, pseudonym)

    await tabTo(reviewer, 'Acknowledge')
    await reviewer.keyboard.press('Enter')
    await reviewer.getByText('Status changed.').waitFor()
    // Sent with no status chosen: refused, and the focus goes to the problem.
    await tabTo(reviewer, 'Change status')
    await reviewer.keyboard.press('Enter')
    await expectFocusOnStep(reviewer, /^There is a problem\s+Choose the new status\.$/)
    // A closed select changes with the arrow keys alone.
    await tabTo(reviewer, 'Change the status')
    await reviewer.keyboard.press('ArrowDown')
    expect(await reviewer.getByLabel('Change the status').inputValue()).toBe('assessing')
    await tabTo(reviewer, 'Reason')
    await reviewer.keyboard.type('Read in full; assessing who was present.')
    await tabTo(reviewer, 'Change status')
    await reviewer.keyboard.press('Enter')
    await reviewer.getByText('Now: Assessing.').waitFor()

    await tabTo(reviewer, 'Reply to the reporter')
    await reviewer.keyboard.type('Thank you for telling us. We are looking into it.')
    await tabTo(reviewer, 'Send reply')
    await reviewer.keyboard.press('Enter')
    await reviewer.getByText('Reply sealed in this browser and sent.').waitFor()
    expect(await reviewer.locator('.bubble--reviewer').innerText()).toContain('Thank you for telling us.')
  })
})
