import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ready, type InboxKeys } from '../../crypto/index'
import { checkPowWork, powBodyHash, solvePow, type PowChallenge } from '../../crypto/pow'
import { countRows, json, loadInboxKeys } from '../support/http'
import { challengeFor, proofFor } from '../support/pow'
import { sealedSubmission } from '../support/seal'
import { createInbox, startServer, tempDataDir, type RunningServer } from '../support/server'

/**
 * Proof of work paid at today's price (decision 18): a proof pays for one body at one route, must
 * meet the price in force when it is redeemed (less one bit), fetching challenges in bulk raises
 * that price, and no number of spent proofs shuts honest reporters out.
 */
const BASE = 10
const MAX = 16
let server: RunningServer
let inbox: { id: string; keyFile: string }
let inboxKeys: InboxKeys

const answers = (what: string) => ({ categories: ['bullying'], whatHappened: what, when: '', where: '', who: '', role: '', contact: '' })
const report = async (what: string) => (await sealedSubmission(inbox.id, inboxKeys, answers(what))).body as unknown as Record<string, unknown>
const price = async () => ((await json(`${server.url}/api/pow?purpose=report`)).body as PowChallenge).difficulty
const post = (path: string, body: unknown) => json(`${server.url}${path}`, { body, proof: false })
const flood = (n: number) => Promise.all(Array.from({ length: n }, () => fetch(`${server.url}/api/pow?purpose=report`).then((r) => r.status)))

beforeAll(async () => {
  await ready()
  const dataDir = tempDataDir()
  inbox = createInbox(dataDir)
  inboxKeys = await loadInboxKeys(inbox.keyFile)
  server = await startServer({
    dataDir,
    env: {
      POW_BASE_BITS: String(BASE),
      POW_MAX_BITS: String(MAX),
      POW_BUSY_PER_MINUTE: '4',
      POW_STEP_PER_MINUTE: '2',
      POW_ISSUED_PER_REDEEMED: '2',
      POW_TOLERANCE_BITS: '1',
    },
  })
})

afterAll(async () => {
  await server?.stop()
  if (server) fs.rmSync(server.dataDir, { recursive: true, force: true })
})

describe('a proof pays for one body at one route', () => {
  it('moved to another body it is refused and nothing is stored; with its own body it still goes through', async () => {
    const mine = await report('Mine')
    let yours = await report('Yours')
    const pow = await proofFor(server.url, 'report', mine)
    // One body in 2^10 would meet this nonce by chance: pick one that does not, so the test is exact.
    while (checkPowWork(pow, powBodyHash(yours))) yours = await report('Yours again')
    const before = await countRows(server.dbFile)
    const moved = await post('/api/reports', { ...yours, pow })
    expect(moved.status).toBe(400)
    expect(moved.body.error).toMatch(/did not pass/)
    expect(moved.body.retry).toBeUndefined()
    expect(await countRows(server.dbFile)).toBe(before)
    expect((await post('/api/reports', { ...mine, pow })).status).toBe(201)
  })

  it('made for one purpose it is refused by the routes for the others', async () => {
    const before = await countRows(server.dbFile)
    const body = await report('Wrong purpose')
    const forSignIn = await proofFor(server.url, 'sign-in', body)
    const asReport = await post('/api/reports', { ...body, pow: forSignIn })
    expect(asReport.status).toBe(400)
    expect(asReport.body.error).toMatch(/made for something else/)
    const upload = { paddedSize: 4096 }
    const forReport = await proofFor(server.url, 'report', upload)
    expect((await post('/api/files', { ...upload, pow: forReport })).status).toBe(400)
    const locator = { locator: randomBytes(32).toString('base64url') }
    const forUpload = await proofFor(server.url, 'upload', locator)
    expect((await post('/api/reporter/challenge', { ...locator, pow: forUpload })).body.error).toMatch(/made for something else/)
    expect(await countRows(server.dbFile)).toBe(before)
  })
})

describe('today’s price', () => {
  it('a proof fetched while quiet is refused once the price rose, with a hint to solve again; a fresh one passes', async () => {
    const body = await report('Fetched cheap')
    const cheap = await challengeFor(server.url, 'report')
    expect(cheap.difficulty).toBe(BASE)
    const pow = solvePow(cheap, body)
    // Prefetching challenges is itself load: these push the price two bits or more past the proof.
    expect(await flood(20)).toEqual(Array(20).fill(200))
    expect(await price()).toBeGreaterThanOrEqual(BASE + 2)
    const before = await countRows(server.dbFile)
    const stale = await post('/api/reports', { ...body, pow })
    expect(stale.status).toBe(409)
    expect(stale.body).toEqual({ error: expect.stringMatching(/has to be done again/), retry: 'pow' })
    expect(await countRows(server.dbFile)).toBe(before)
    const fresh = await proofFor(server.url, 'report', body)
    expect(fresh.difficulty).toBeGreaterThanOrEqual(BASE + 2)
    expect((await post('/api/reports', { ...body, pow: fresh })).status).toBe(201)
  })

  it('a flood of /api/pow raises the price to its cap instead of refusing anyone, and an honest proof still passes', async () => {
    const statuses = await flood(300)
    expect(statuses.filter((s) => s !== 200)).toEqual([])
    expect(await price()).toBe(MAX)
    const body = await report('Honest during a flood')
    expect((await post('/api/reports', { ...body, pow: await proofFor(server.url, 'report', body) })).status).toBe(201)
  })
})

describe('spent proofs cannot fill anything', () => {
  let cheap: RunningServer
  beforeAll(async () => {
    const dataDir = tempDataDir()
    createInbox(dataDir)
    // Difficulty 0, 16 challenges a window, 3 windows: the bound is reached many times over. Three,
    // not two: a new window also starts each minute, so a batch of 12 that a minute turns over in
    // can span three, and with two the oldest, still in use by that batch, would be dropped.
    cheap = await startServer({ dataDir, env: { POW_BASE_BITS: '0', POW_MAX_BITS: '0', POW_WINDOW_CHALLENGES: '16', POW_MAX_WINDOWS: '3' } })
  })
  afterAll(async () => {
    await cheap?.stop()
    if (cheap) fs.rmSync(cheap.dataDir, { recursive: true, force: true })
  })

  it('after 600 spent proofs a fresh honest proof is never refused; a challenge held through it all is sent back to solve again', async () => {
    const held = await challengeFor(cheap.url, 'sign-in')
    const signIn = () => {
      const body = { locator: randomBytes(32).toString('base64url') }
      return proofFor(cheap.url, 'sign-in', body).then((pow) => json(`${cheap.url}/api/reporter/challenge`, { body: { ...body, pow } }))
    }
    const statuses: number[] = []
    for (let i = 0; i < 600; i += 12) statuses.push(...(await Promise.all(Array.from({ length: 12 }, signIn))).map((r) => r.status))
    // Every proof passed; the locators are unknown, so each is a plain 404 after it.
    expect(statuses.filter((s) => s !== 404)).toEqual([])
    const body = { locator: randomBytes(32).toString('base64url') }
    const old = await json(`${cheap.url}/api/reporter/challenge`, { body: { ...body, pow: solvePow(held, body) } })
    expect(old.status).toBe(409)
    expect(old.body.retry).toBe('pow')
    expect((await signIn()).status).toBe(404)
  })
})
