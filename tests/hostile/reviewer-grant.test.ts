import fs from 'node:fs'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fromB64, makeGrant, newBoxKeyPair, ready, sealSecretTo, toB64 } from '../../crypto/index'
import { reviewerPage, setUpFirstReviewer, waitForHydration } from '../e2e/reviewer-helpers'
import { launchChromium } from '../support/browser'
import { foreignLog } from '../support/key-log'
import { sqlAll } from '../support/review-api'
import { tempDataDir } from '../support/server'
import { jsonAt, startAdversary, type Adversary } from './adversary'

/**
 * A newcomer's first sight of an inbox, in Chromium on a desktop, behind a server that lies. Ada
 * approves Bea; the keys reach Bea with Ada's grant, which only Ada's key can make. A server that
 * withholds or alters the grant has Bea's browser refuse the inbox, named; one that hands Bea an
 * inbox of its own making, vouched for by a key of its own, shows a fingerprint that is not the
 * one Ada read out, and Bea's "It does not match" refuses it. Nothing is pinned or sealed to it.
 */
const INBOX = 'Professional Standards'
const SIGN_IN = /^\/api\/review\/sign-in$/

let adv: Adversary
let browser: Browser
let ada: Page
let bea: Page
let adaPrint = ''
let inboxId = ''

await ready()

const beaPins = async () =>
  (await sqlAll(adv.server.dbFile, "SELECT 1 FROM inbox_pins p JOIN reviewers r ON r.id = p.reviewer_id WHERE r.display_name = 'Bea Reviewer'")).length

/** Bea signs out if she is in, then signs in with her passkey: the keyring comes with sign-in. */
async function signInBea() {
  const out = bea.getByRole('button', { name: /^(Sign out|Allgofnodi)$/ })
  if (await out.count()) {
    await out.click()
    await bea.waitForURL(/\/review\/sign-in/)
    await bea.goto(`${adv.url}/review/sign-in`)
  }
  await waitForHydration(bea)
  await bea.getByRole('button', { name: 'Sign in with a passkey' }).click()
  await bea.getByText('unlocked in this browser tab').waitFor()
}

beforeAll(async () => {
  ;[adv, browser] = await Promise.all([startAdversary({ dataDir: tempDataDir('candour-hostile-grant-') }), launchChromium()])
  const site = { ...adv.server, url: adv.url }
  ada = await reviewerPage(browser)
  bea = await reviewerPage(browser)
  await setUpFirstReviewer(ada, site, { name: 'Ada Admin', inbox: INBOX })
  await ada.getByRole('link', { name: 'Members and invitations' }).click()
  await ada.getByLabel('Their name').fill('Bea Reviewer')
  await ada.getByLabel(INBOX).check()
  await ada.getByRole('button', { name: 'Make an invitation link' }).click()
  const link = (await ada.locator('[data-invite-link]').textContent()) ?? ''
  await bea.goto(link)
  await bea.getByRole('button', { name: 'Create your passkey' }).click()
  const code = (await bea.locator('[data-recovery]').getAttribute('data-recovery')) ?? ''
  await bea.getByLabel(/last two groups/).fill(code.split('-').slice(-2).join('-'))
  await bea.getByRole('button', { name: /finish enrolling/ }).click()
  await bea.getByRole('heading', { name: 'Waiting for approval' }).waitFor()
  await ada
    .getByRole('link', { name: /Candour/ })
    .first()
    .click()
  await ada.getByRole('link', { name: 'Members and invitations' }).click()
  const card = ada.locator('[data-request="Bea Reviewer"]')
  adaPrint = (await ada.locator('[data-own-print] code').textContent()) ?? ''
  await card.getByRole('button', { name: 'Approve' }).click()
  await ada.getByText(`Bea Reviewer can now open ${INBOX}.`).waitFor()
  ;[{ id: inboxId }] = await sqlAll<{ id: string }>(adv.server.dbFile, 'SELECT id FROM inboxes')
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await adv?.stop()
  if (adv) fs.rmSync(adv.server.dataDir, { recursive: true, force: true })
})

describe('a newcomer’s first sight of an inbox, from a server that lies (desktop)', () => {
  it('a grant withheld or altered: the inbox is refused by name, and nothing is pinned', async () => {
    for (const edit of [
      (b: any) => void delete b.grants[inboxId],
      (b: any) => void (b.grants[inboxId].grant = b.grants[inboxId].grant.replace(/^./, (c: string) => (c === 'A' ? 'B' : 'A'))),
    ]) {
      adv.lie(jsonAt('POST', SIGN_IN, (b) => (edit(b), b)))
      await signInBea()
      const warning = bea.locator(`[data-key-warning="${inboxId}"]`)
      await warning.waitFor()
      expect(await warning.getByRole('heading').textContent()).toBe(
        `The keys the server sent for “${INBOX}” could not be verified, so this browser is not using them`,
      )
      expect(await warning.innerText()).toContain('No member vouched for these keys: the approval that should come with them is missing or does not verify')
      expect(await bea.locator('[data-grant-check]').count()).toBe(0)
      expect(await bea.locator('.card .fingerprint').count()).toBe(0)
      expect(await beaPins()).toBe(0)
    }
    await bea.screenshot({ path: 'tests/.artifacts/screens/desktop-hostile-grant-missing.png', fullPage: true })
  })

  it('an inbox of the server’s making, vouched for by its own key: the fingerprint is not Ada’s, and “It does not match” refuses it', async () => {
    const [{ box_pk }] = await sqlAll<{ box_pk: string }>(adv.server.dbFile, "SELECT box_pk FROM reviewers WHERE display_name = 'Bea Reviewer'")
    const foreign = foreignLog()
    const posingAsAda = newBoxKeyPair()
    const signPk = toB64(foreign.identity.publicKey)
    adv.lie(
      jsonAt('POST', SIGN_IN, (b) => {
        const listed = b.inboxes.find((i: any) => i.id === inboxId)
        b.inboxes = [
          {
            ...listed,
            ...foreign.key,
            boxSkWrap: sealSecretTo(foreign.encryption.privateKey, fromB64(box_pk)),
            signSkWrap: sealSecretTo(foreign.identity.privateKey, fromB64(box_pk)),
          },
        ]
        b.logs[inboxId] = foreign.log
        b.grants[inboxId] = { ...b.grants[inboxId], by: { ...b.grants[inboxId].by, boxPk: toB64(posingAsAda.publicKey) } }
        b.grants[inboxId].grant = makeGrant(inboxId, signPk, posingAsAda, fromB64(box_pk))
        return b
      }),
    )
    await signInBea()
    const check = bea.locator('[data-grant-check]')
    await check.waitFor()
    expect(await check.innerText()).toContain('Ada Admin approved you.')
    const shown = (await check.locator('[data-approver-fingerprint]').textContent()) ?? ''
    expect(shown).toMatch(/^\d{4}( \d{4}){4}$/)
    expect(shown).not.toBe(adaPrint)
    expect(await bea.locator('.card .fingerprint').count()).toBe(0)
    await check.getByRole('button', { name: 'It does not match' }).click()
    const warning = bea.locator(`[data-key-warning="${inboxId}"]`)
    await warning.waitFor()
    expect(await warning.innerText()).toContain('You said the fingerprint of the member who approved you did not match the one you heard')
    expect(await check.count()).toBe(0)
    expect(await beaPins()).toBe(0)
  })

  it('the truth, in Welsh: Ada’s fingerprint is shown, and once Bea says it matches the inbox opens and is pinned', async () => {
    adv.lie(undefined)
    await bea.getByRole('button', { name: 'Sign out' }).click()
    await bea.waitForURL(/\/review\/sign-in/)
    await bea.goto(`${adv.url}/review/sign-in?lang=cy`)
    await waitForHydration(bea)
    await bea.getByRole('button', { name: 'Mewngofnodi gydag allwedd mynediad' }).click()
    const check = bea.locator('[data-grant-check]')
    await check.getByRole('heading', { name: `Gwiriwch pwy a'ch gadawodd i mewn i “${INBOX}”` }).waitFor()
    expect(await check.innerText()).toContain('Cymeradwyodd Ada Admin chi.')
    expect(await check.locator('[data-approver-fingerprint]').textContent()).toBe(adaPrint)
    await bea.getByText("Mae eich allweddi wedi'u datgloi yn y tab porwr hwn yn unig.").waitFor()
    await bea.screenshot({ path: 'tests/.artifacts/screens/desktop-hostile-grant-check-cy.png', fullPage: true })
    await check.getByRole('button', { name: "Mae'n cyfateb: defnyddio'r mewnflwch hwn" }).click()
    await bea.locator('.card .fingerprint code').waitFor()
    await expect.poll(beaPins).toBe(1)
    expect(await bea.locator('[data-key-warning]').count()).toBe(0)
    // Pinned now: the next sign-in uses the inbox without asking again.
    await signInBea()
    await bea.locator('.card .fingerprint code').waitFor()
    expect(await bea.locator('[data-grant-check]').count()).toBe(0)
  })
})
