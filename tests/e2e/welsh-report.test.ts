import type { Browser, Page } from 'playwright-core'
import { englishOnly } from '../support/words'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium, phoneContext } from '../support/browser'
import { startServer, tempDataDir, createInbox, type RunningServer } from '../support/server'
import { journey, mainText, receiptTail, REPORT, stopAll, waitForHydration } from './helpers'

/**
 * The whole report in Welsh on a phone, with JavaScript on and off: every step's heading,
 * buttons, title and messages come from the Welsh catalogue, a Change button lands on its field,
 * and no sentence of the English report page is left on any step.
 */
// Sentences whose English would be a give-away: whole messages without placeholders.
const ENGLISH = englishOnly(['report']).filter((s) => !s.includes('{{'))

async function expectWelshOnly(page: Page, step: string) {
  await page.waitForLoadState('domcontentloaded')
  expect(await page.locator('html').getAttribute('lang'), step).toBe('cy')
  const text = await page.locator('body').innerText()
  const left = ENGLISH.filter((s) => text.includes(s))
  expect(left, `English left on ${step}`).toEqual([])
}

for (const js of [true, false]) {
  const mode = js ? 'js' : 'nojs'
  describe(`a report in Welsh with JavaScript ${js ? 'on' : 'off'} (phone)`, () => {
    let server: RunningServer
    let browser: Browser
    let page: Page
    let receipt = ''
    journey()

    beforeAll(async () => {
      const dataDir = tempDataDir(`candour-e2e-cy-${mode}-`)
      createInbox(dataDir)
      ;[server, browser] = await Promise.all([startServer({ dataDir, env: { FILE_MAX_MIB: '1' } }), launchChromium()])
      const context = await phoneContext(browser, { javaScriptEnabled: js })
      context.setDefaultTimeout(10_000)
      page = await context.newPage()
    })

    afterAll(() => stopAll(server, browser))

    const ready = async () => {
      if (js) await waitForHydration(page)
    }
    const heading = (name: string) => page.getByRole('heading', { name, exact: true }).waitFor()

    it('the form is in Welsh, and an empty one is refused in Welsh', async () => {
      await page.goto(`${server.url}/report?lang=cy`)
      await ready()
      await heading('Gwneud adroddiad')
      expect(await page.title()).toBe('Gwneud adroddiad · Candour')
      await expectWelshOnly(page, 'the form')
      await page.getByRole('button', { name: 'Parhau i wirio eich atebion' }).click()
      await heading('Mae problem')
      const summary = await page.locator('.error-summary').innerText()
      expect(summary).toContain('Dewiswch o leiaf un math o ymddygiad.')
      expect(summary).toContain('Dywedwch wrthym beth ddigwyddodd.')
      expect(await page.title()).toBe('Gwall: Gwneud adroddiad · Candour')
      expect(await page.locator('html').getAttribute('lang')).toBe('cy')
    })

    it.runIf(js)('refuses a file over the limit in Welsh, its size in Welsh words', async () => {
      await page.locator('input#files').setInputFiles({ name: 'mawr.mp4', mimeType: 'video/mp4', buffer: Buffer.alloc(1024 * 1024 + 1) })
      const refusal = page.locator('[data-file-picker]').getByRole('alert')
      await refusal.waitFor()
      expect(await refusal.innerText()).toContain('Mae “mawr.mp4” yn 1.0 MiB. Gall ffeiliau fod yn 1 MiB ar y mwyaf, felly ni chafodd ei hychwanegu.')
    })

    it('states the limit of the long answers, counts what is left with JavaScript, and cuts nothing', async () => {
      const hint = await page.locator('#whatHappened-hint').innerText()
      expect(hint).toContain('Gallwch ysgrifennu hyd at 20,000 nod.')
      const contact = () => page.getByLabel('Manylion cyswllt (dewisol)', { exact: true })
      await contact().fill('x'.repeat(501))
      if (js) {
        await page.getByLabel('Beth ddigwyddodd?', { exact: true }).fill('abc')
        const count = (id: string) => page.locator(`.field:has(#${id}) [data-char-count]`).innerText()
        await expect.poll(() => count('whatHappened')).toBe('Mae gennych 19,997 nod ar ôl')
        await expect.poll(() => count('contact')).toBe('Mae gennych 1 nod yn ormod')
      } else expect(await page.locator('[data-char-count]').count()).toBe(0)
      // The box keeps every character; the check says what is wrong, in Welsh.
      expect(await contact().inputValue()).toHaveLength(501)
      await page.getByRole('button', { name: 'Parhau i wirio eich atebion' }).click()
      await page.locator('.error-summary').getByText("Rhaid i'r manylion cyswllt fod yn 500 nod neu lai.").waitFor()
      expect(await contact().inputValue()).toHaveLength(501)
    })

    it('fills the form in Welsh and checks the answers', async () => {
      await page.getByLabel('Hiliaeth', { exact: true }).check()
      await page.getByLabel('Bwlio neu “dynnu coes”', { exact: true }).check()
      await page.getByLabel('Beth ddigwyddodd?', { exact: true }).fill(REPORT.whatHappened)
      await page.getByLabel('Tua pryd? (dewisol)', { exact: true }).fill(REPORT.when)
      await page.getByLabel('Ble, neu pa dîm? (dewisol)', { exact: true }).fill(REPORT.where)
      await page.getByLabel('Pwy oedd yn rhan o hyn? (dewisol)', { exact: true }).fill(REPORT.who)
      await page.getByLabel('Gwelais neu clywais y peth', { exact: true }).check()
      await page.getByLabel('Manylion cyswllt (dewisol)', { exact: true }).fill(REPORT.contact)
      await page.screenshot({ path: `/tmp/wreport-${mode}-form.png`, fullPage: true })
      await page.getByRole('button', { name: 'Parhau i wirio eich atebion' }).click()
      await heading('Gwirio eich atebion')
      expect(await page.title()).toBe('Gwirio eich atebion · Candour')
      const review = await mainText(page)
      for (const v of Object.values(REPORT)) expect(review).toContain(v)
      expect(review).toContain('Hiliaeth, Bwlio neu “dynnu coes”')
      expect(review).toContain('Gwelais neu clywais y peth')
      await expectWelshOnly(page, 'check your answers')
      await page.screenshot({ path: `/tmp/wreport-${mode}-review.png`, fullPage: true })
    })

    it('a Change button goes back to the form, on that answer, in Welsh', async () => {
      await page.getByRole('button', { name: 'Newid beth ddigwyddodd' }).click()
      await heading('Gwneud adroddiad')
      expect(new URL(page.url()).searchParams.get('lang')).toBe('cy')
      if (js) await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('whatHappened')
      else expect(new URL(page.url()).hash).toBe('#whatHappened')
      expect(await page.getByLabel('Beth ddigwyddodd?', { exact: true }).inputValue()).toBe(REPORT.whatHappened)
      expect(await page.getByLabel('Hiliaeth', { exact: true }).isChecked()).toBe(true)
      await page.screenshot({ path: `/tmp/wreport-${mode}-change.png` })
      await page.getByRole('button', { name: 'Parhau i wirio eich atebion' }).click()
      await heading('Gwirio eich atebion')
    })

    it('sends, and the receipt is in Welsh', async () => {
      await page.getByRole('button', { name: 'Anfon adroddiad' }).click()
      await heading("Mae eich adroddiad wedi'i anfon")
      receipt = (await page.locator('[data-receipt]').getAttribute('data-receipt')) ?? ''
      expect(receipt).toMatch(/^([0-9A-Z]{4}-){5}./)
      expect(await page.title()).toBe("Mae eich adroddiad wedi'i anfon · Candour")
      const text = await mainText(page)
      expect(text).toContain('Eich cod derbynneb')
      expect(text).toContain(js ? 'Cafodd ei selio ar y ddyfais hon' : "Mae JavaScript wedi'i ddiffodd")
      expect(await page.getByRole('button', { name: "Copïo'r cod" }).count()).toBe(js ? 1 : 0)
      await expectWelshOnly(page, 'the receipt')
      await page.screenshot({ path: `/tmp/wreport-${mode}-receipt.png`, fullPage: true })
    })

    it('the retype check answers in Welsh, then thanks in Welsh', async () => {
      const field = () => page.getByLabel('I wirio bod gennych ef, teipiwch ddiwedd eich cod')
      const tail = receiptTail(receipt)
      await field().fill((tail[0] === '0' ? '1' : '0') + tail.slice(1))
      await page.getByRole('button', { name: 'Rwyf wedi cadw fy nghod' }).click()
      await page.getByText("Nid yw hynny'n cyfateb i ddiwedd eich cod.").waitFor()
      await field().fill(tail)
      await page.getByRole('button', { name: 'Rwyf wedi cadw fy nghod' }).click()
      await heading('Diolch')
      await expectWelshOnly(page, 'done')
      expect(await page.getByRole('link', { name: 'Gwirio ymatebion' }).first().getAttribute('href')).toBe('/check?lang=cy')
    })
  })
}
