import fs from 'node:fs'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  fromB64,
  newBoxKeyPair,
  newReceipt,
  openSealedSecret,
  headOf,
  logKey,
  publishKey,
  ready,
  sealReport,
  sealReply,
  sealSecretTo,
  toB64,
  type KeyLogEntry,
  type KeyPair,
} from '../../crypto/index'
import { newSignKeyPair } from '../../crypto/keys'
import { DESKTOP, launchChromium } from '../support/browser'
import { json } from '../support/http'
import { sqlAll } from '../support/review-api'
import { startServer, tempDataDir, type RunningServer } from '../support/server'
import { addServerVersion } from '../support/key-log'
import { recordRequests } from './helpers'
import { setUpFirstReviewer, virtualAuthenticator, waitForHydration } from './reviewer-helpers'

/**
 * A server that lies about inbox keys, in Chromium. Only the server's data changes: between two
 * sign-ins the test edits the database as a hostile operator could, with keys of its own making
 * and wraps sealed to the reviewer's public key. Each time the reviewer's browser must name the
 * inbox in a warning, offer no reply or note box, and send nothing sealed to the server's key.
 */
const INBOX = 'Professional Standards'
const WARNING = `The keys the server sent for “${INBOX}” could not be verified, so this browser is not using them`

let server: RunningServer
let browser: Browser
let page: Page
let sent: ReturnType<typeof recordRequests>
let inboxId = ''
let reviewerPk: Uint8Array
/** The honest rows, put back before each case so that each lie is the only one. */
let honest: { signPk: string; keys: any[]; wraps: any[]; pins: any[]; log: any[] }

const db = <T = any>(sql: string, params: unknown[] = []) => sqlAll<T>(server.dbFile, sql, params)

async function restoreHonest() {
  await db('DELETE FROM key_log WHERE inbox_id = ?', [inboxId])
  for (const e of honest.log) await db('INSERT INTO key_log (inbox_id, pos, entry) VALUES (?,?,?)', [inboxId, e.pos, e.entry])
  await db('DELETE FROM inbox_key_wraps WHERE inbox_id = ? AND key_version > 1', [inboxId])
  await db('DELETE FROM inbox_keys WHERE inbox_id = ? AND key_version > 1', [inboxId])
  await db('UPDATE inboxes SET sign_pk = ? WHERE id = ?', [honest.signPk, inboxId])
  for (const k of honest.keys)
    await db('UPDATE inbox_keys SET box_pk = ?, signature = ? WHERE inbox_id = ? AND key_version = ?', [k.box_pk, k.signature, inboxId, k.key_version])
  for (const w of honest.wraps)
    await db('UPDATE inbox_key_wraps SET box_sk_wrap = ?, sign_sk_wrap = ? WHERE inbox_id = ? AND key_version = ? AND reviewer_id = ?', [
      w.box_sk_wrap,
      w.sign_sk_wrap,
      inboxId,
      w.key_version,
      w.reviewer_id,
    ])
  await db('DELETE FROM inbox_pins WHERE inbox_id = ?', [inboxId])
  for (const p of honest.pins)
    await db('INSERT INTO inbox_pins (reviewer_id, inbox_id, sign_pk, pin, created_at) VALUES (?,?,?,?,?)', [
      p.reviewer_id,
      p.inbox_id,
      p.sign_pk,
      p.pin,
      p.created_at,
    ])
}

/** The server's own identity S', re-signing every listed version (with `boxPk` for v1 if given) and sealed to R. */
async function serverIdentity(opts: { boxPkV1?: string } = {}): Promise<KeyPair> {
  const identity = newSignKeyPair()
  const keys = await db<{ key_version: number; box_pk: string }>('SELECT key_version, box_pk FROM inbox_keys WHERE inbox_id = ?', [inboxId])
  for (const k of keys) {
    const boxPk = k.key_version === 1 && opts.boxPkV1 ? opts.boxPkV1 : k.box_pk
    const published = publishKey({ identity, encryption: { publicKey: fromB64(boxPk), privateKey: new Uint8Array(32) }, keyVersion: k.key_version })
    await db('UPDATE inbox_keys SET box_pk = ?, signature = ? WHERE inbox_id = ? AND key_version = ?', [boxPk, published.signature, inboxId, k.key_version])
  }
  await db('UPDATE inboxes SET sign_pk = ? WHERE id = ?', [toB64(identity.publicKey), inboxId])
  await db('UPDATE inbox_key_wraps SET sign_sk_wrap = ? WHERE inbox_id = ?', [sealSecretTo(identity.privateKey, reviewerPk), inboxId])
  return identity
}

async function signOutAndIn() {
  await page.getByRole('button', { name: 'Sign out' }).click()
  await page.getByText('You have signed out').waitFor()
  await waitForHydration(page)
  sent.length = 0
  await page.getByRole('button', { name: 'Sign in with a passkey' }).click()
  await page.getByRole('heading', { name: /^Hello, / }).waitFor()
}

async function openTheReport() {
  await page.getByRole('link', { name: INBOX }).click()
  await page.getByRole('heading', { level: 1, name: INBOX, exact: true }).waitFor()
  await page.locator('[data-report] h2 a').click()
  await page.getByRole('heading', { name: 'Who opened this' }).waitFor()
}

/** What a reviewer would do: reply and add a note wherever the page offers a box for them. */
async function replyWhereOffered() {
  for (const [label, button, route] of [
    ['Reply to the reporter', 'Send reply', 'reply'],
    ['Internal note', 'Add note', 'note'],
  ] as const) {
    const box = page.getByLabel(label)
    if (!(await box.count())) continue
    await box.fill(`A ${route} the server should never read`)
    // Sent, or refused by the page before sending (a reply needs a verified report to seal to).
    const sentIt = page.waitForResponse((r) => r.url().endsWith(`/api/review/triage/${route}`)).then(() => undefined)
    const refusedIt = route === 'reply' ? page.getByText('a reply cannot be sealed to the reporter').waitFor() : new Promise<void>(() => undefined)
    // The race's loser times out later; catching it keeps that from failing the run.
    for (const p of [sentIt, refusedIt]) p.catch(() => undefined)
    await page.getByRole('button', { name: button }).click()
    await Promise.race([sentIt, refusedIt])
  }
}

/** Every string in every request body that opens as sealed to one of the server's keys. */
function sealedTo(keys: KeyPair[]): string[] {
  const found: string[] = []
  const visit = (v: unknown, where: string) => {
    if (typeof v === 'string') {
      for (const k of keys)
        try {
          openSealedSecret(v, k)
          found.push(where)
        } catch {
          // not sealed to this key
        }
    } else if (v && typeof v === 'object') for (const [key, x] of Object.entries(v)) visit(x, `${where}.${key}`)
  }
  for (const r of sent) {
    let body: unknown
    try {
      body = JSON.parse(r.body)
    } catch {
      continue // not JSON: file pieces are ciphertext under a file key that travels inside an envelope
    }
    visit(body, new URL(r.url).pathname)
  }
  return found
}

/** The checks every case ends with, after the reviewer has tried to work on the report. */
async function expectRefused(serverKeys: KeyPair[], because: string, screenshot?: string) {
  const home = await page.locator('main').innerText()
  const fingerprints = await page.locator('.fingerprint').count()
  await openTheReport()
  await replyWhereOffered()
  expect(sealedTo(serverKeys), 'requests carrying something sealed to the server’s key').toEqual([])
  expect(home).toContain(WARNING)
  expect(home).toContain(because)
  expect(fingerprints).toBe(0)
  expect(await page.locator(`[data-key-warning="${inboxId}"]`).innerText()).toContain(WARNING)
  expect(await page.getByLabel('Reply to the reporter').count()).toBe(0)
  expect(await page.getByLabel('Internal note').count()).toBe(0)
  await page.locator('[data-no-sealing]').waitFor()
  expect(await page.locator('main').innerText()).toContain('This report could not be opened or verified with the keys in this tab')
  if (screenshot) await page.screenshot({ path: screenshot, fullPage: true })
  await page.getByRole('link', { name: 'Candour Review' }).click()
  await page.getByRole('heading', { name: /^Hello, / }).waitFor()
}

describe('reviewers seal only to keys the inbox signed (desktop Chromium)', () => {
  beforeAll(async () => {
    await ready()
    ;[server, browser] = await Promise.all([startServer({ dataDir: tempDataDir('candour-e2e-keys-') }), launchChromium()])
    const context = await browser.newContext({ viewport: DESKTOP })
    context.setDefaultTimeout(15_000)
    page = await context.newPage()
    sent = recordRequests(page)
    await virtualAuthenticator(context, page, true)
    await setUpFirstReviewer(page, server, { name: 'Dana Reviewer', inbox: INBOX })
    const [inbox] = await db<{ id: string; sign_pk: string }>('SELECT id, sign_pk FROM inboxes')
    inboxId = inbox.id
    reviewerPk = fromB64((await db<{ box_pk: string }>('SELECT box_pk FROM reviewers'))[0].box_pk)
    // A report to work on, filed as a reporter's browser would.
    const [k] = await db<{ box_pk: string; signature: string }>('SELECT box_pk, signature FROM inbox_keys WHERE inbox_id = ?', [inboxId])
    const body = sealReport({ categories: ['racism'], whatHappened: 'Seen in the canteen', role: 'witness' }, newReceipt(), {
      inboxId,
      keyVersion: 1,
      boxPk: k.box_pk,
      signPk: inbox.sign_pk,
      signature: k.signature,
    })
    expect((await json(`${server.url}/api/reports`, { body })).status).toBe(201)
    honest = {
      signPk: inbox.sign_pk,
      keys: await db('SELECT * FROM inbox_keys WHERE inbox_id = ?', [inboxId]),
      wraps: await db('SELECT * FROM inbox_key_wraps WHERE inbox_id = ?', [inboxId]),
      pins: await db('SELECT * FROM inbox_pins WHERE inbox_id = ?', [inboxId]),
      log: await db('SELECT * FROM key_log WHERE inbox_id = ?', [inboxId]),
    }
  })
  afterAll(async () => {
    await browser?.close()
    await server?.stop()
    if (server) fs.rmSync(server.dataDir, { recursive: true, force: true })
  })

  it('setup pins the inbox made in this browser at once', () => {
    expect(honest.pins).toHaveLength(1)
    expect(honest.pins[0].sign_pk).toBe(honest.signPk)
  })

  it('with honest keys there is no warning, and a reply and a note can be written', async () => {
    await signOutAndIn()
    expect(await page.locator('[data-key-warning]').count()).toBe(0)
    expect(await page.locator('.fingerprint').count()).toBe(1)
    await openTheReport()
    await page.getByLabel('Reply to the reporter').waitFor()
    await page.getByLabel('Internal note').waitFor()
    await page.getByRole('link', { name: 'Candour Review' }).click()
    await page.getByRole('heading', { name: /^Hello, / }).waitFor()
  })

  it('the scan of request bodies finds a wrap sealed to a key (so an empty result means something)', () => {
    const key = newBoxKeyPair()
    const reply = sealReply(
      { text: 'x', reviewer: 'Reviewer Wren', chain: null },
      { encryption: key, identity: newSignKeyPair() },
      toB64(newBoxKeyPair().publicKey),
    )
    const before = sent.length
    sent.push({ method: 'POST', url: `${server.url}/api/review/triage/reply`, body: JSON.stringify({ envelope: reply }) })
    expect(sealedTo([key])).toEqual(['/api/review/triage/reply.envelope.inbox'])
    sent.length = before
  })

  it('an extra key version of the server’s making (real identity wrap copied in) is refused', async () => {
    await restoreHonest()
    // The server cannot sign with S: it signs the new version with a key of its own.
    const serverKey = await addServerVersion(server.dbFile, inboxId, newSignKeyPair())
    await signOutAndIn()
    await expectRefused([serverKey], "Key version 2 is not in the inbox's key log.", 'tests/.artifacts/screens/desktop-review-key-warning.png')
  })

  it('an extra key version logged under a key of the server’s own is refused: the log does not hold together', async () => {
    await restoreHonest()
    const signer = newSignKeyPair()
    const serverKey = await addServerVersion(server.dbFile, inboxId, signer)
    const [genesis] = await db<{ entry: string }>('SELECT entry FROM key_log WHERE inbox_id = ? AND pos = 0', [inboxId])
    const [entry] = logKey({ identity: signer, encryption: serverKey, keyVersion: 2 }, headOf([JSON.parse(genesis.entry) as KeyLogEntry]))
    await db('INSERT INTO key_log (inbox_id, pos, entry) VALUES (?,?,?)', [inboxId, 1, JSON.stringify(entry)])
    await signOutAndIn()
    await expectRefused([serverKey], "Its key log does not hold together: an entry is missing, altered, or not signed by the inbox's identity key.")
  })

  it('an identity of the server’s making, consistent in itself and with its own newer key, is refused by the pin', async () => {
    await restoreHonest()
    const identity = await serverIdentity()
    const serverKey = await addServerVersion(server.dbFile, inboxId, identity, sealSecretTo(identity.privateKey, reviewerPk))
    await signOutAndIn()
    await expectRefused([serverKey], 'Its identity key is not the one your keys recorded when you first used this inbox.')
  })

  it('a real wrap paired with a public key of the server’s, the pin withheld, is refused', async () => {
    await restoreHonest()
    // Reports sealed to the real key stop opening (a sealed box names its recipient's public key),
    // but notes and status reasons would be sealed to the server's key.
    const serverKey = newBoxKeyPair()
    await serverIdentity({ boxPkV1: toB64(serverKey.publicKey) })
    await db('DELETE FROM inbox_pins WHERE inbox_id = ?', [inboxId])
    await signOutAndIn()
    await expectRefused([serverKey], 'Its identity key is not the one its key log traces.')
    await page.screenshot({ path: 'tests/.artifacts/screens/desktop-review-home-key-warning.png', fullPage: true })
    // A refused inbox is not pinned on first sight either.
    expect(await db('SELECT * FROM inbox_pins WHERE inbox_id = ?', [inboxId])).toEqual([])
  })

  it('with the honest keys back, the same browser uses the inbox again, with no warning', async () => {
    await restoreHonest()
    await signOutAndIn()
    expect(await page.locator('[data-key-warning]').count()).toBe(0)
    await openTheReport()
    await page.getByLabel('Reply to the reporter').waitFor()
  })
})
