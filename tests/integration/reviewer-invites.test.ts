import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  checkGrant,
  toB64,
  makeGrant,
  headOf,
  fromB64,
  logKey,
  newBoxKeyPair,
  openSealedSecret,
  publishKey,
  sealSecretTo,
  unwrapSecret,
  type KeyLogEntry,
  type KeyPair,
} from '../../crypto/index'
import { newSignKeyPair } from '../../crypto/keys'
import { prepareFirstAdmin, prepareReviewer } from '../../app/review/enrol.client'
import { setupLink } from '../e2e/reviewer-helpers'
import { reviewApi, sqlAll } from '../support/review-api'
import { admin as adminCli, startServer, tempDataDir, type RunningServer } from '../support/server'
import { softPasskey } from '../support/soft-passkey'

/**
 * Invitations, approvals, removal and rotation through the API only. Every refusal is a clear
 * 4xx that changes nothing; the passkeys are software ones (tests/support/soft-passkey.ts).
 */
let server: RunningServer
type Person = { cookie: string; id: string; key: KeyPair }
let ada: Person // the first admin, a member of the inbox
let bea: Person // an invited reviewer
let cy: Person // an invited admin who is NOT a member of the inbox
let inboxId = ''
let identity: KeyPair
const encryption: KeyPair[] = [] // the inbox's key versions, as a member's browser holds them

const api = reviewApi(() => server.url)
const send = api.post
const db = <T = any>(sql: string, params: unknown[] = []) => sqlAll<T>(server.dbFile, sql, params)
const count = async (sql: string, params: unknown[] = []) => (await db<{ n: number }>(`SELECT COUNT(*) AS n FROM ${sql}`, params))[0].n

/** Everything a refusal must leave alone. */
const snapshot = async () => ({
  members: await db('SELECT * FROM inbox_members ORDER BY inbox_id, reviewer_id'),
  wraps: await db('SELECT inbox_id, key_version, reviewer_id FROM inbox_key_wraps ORDER BY 1, 2, 3'),
  keys: await db('SELECT inbox_id, key_version FROM inbox_keys ORDER BY 1, 2'),
  requests: await db('SELECT * FROM membership_requests ORDER BY 1, 2'),
  reviewers: await db('SELECT id, removed_at FROM reviewers ORDER BY id'),
  invites: await db('SELECT token_hash, used_at FROM invites ORDER BY 1'),
  rotation: await db('SELECT inbox_id FROM rotation_due ORDER BY 1'),
})
async function expectRefused(status: number, call: () => Promise<{ status: number; body: any }>) {
  const before = await snapshot()
  const res = await call()
  expect(res.status, JSON.stringify(res.body)).toBe(status)
  expect(typeof res.body.error).toBe('string')
  expect(await snapshot()).toEqual(before)
}

async function invite(by: Person, displayName: string, role: 'admin' | 'reviewer', inboxIds = [inboxId]) {
  const res = await send('/api/review/invites', { displayName, role, inboxIds }, by.cookie)
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  return new URL(res.body.link).hash.slice(1)
}

/** Enrols from an invitation as the invitee's browser would; the secret key is kept for the test. */
async function enrol(token: string): Promise<Person> {
  const opts = await send('/api/review/invite/options', { token })
  expect(opts.status).toBe(200)
  const prepared = await prepareReviewer({ kind: 'prf', prf: randomBytes(32) })
  const key = { publicKey: prepared.publicKey, privateKey: unwrapSecret(prepared.reviewer.keyWrap, prepared.wrapKey) }
  const done = await send('/api/review/invite/complete', {
    ceremonyId: opts.body.ceremonyId,
    registration: softPasskey(server.url).register(opts.body.options),
    reviewer: prepared.reviewer,
  })
  expect(done.status, JSON.stringify(done.body)).toBe(201)
  return { cookie: done.cookie, id: done.body.reviewer.id, key }
}

/** Every key version sealed to someone, as an approving member's browser does. */
const wrapsFor = (to: KeyPair, versions = encryption.map((_, i) => i + 1)) =>
  versions.map((v) => ({
    keyVersion: v,
    boxSkWrap: sealSecretTo(encryption[v - 1].privateKey, to.publicKey),
    signSkWrap: sealSecretTo(identity.privateKey, to.publicKey),
  }))

/** Ada vouches, to the newcomer alone, for the inbox identity she seals to them. */
const grantFor = (to: KeyPair) => makeGrant(inboxId, toB64(identity.publicKey), ada.key, to.publicKey)

/** The inbox's key log head, read as a member's browser traces it. */
async function logHead() {
  const { inboxes } = (await (await fetch(`${server.url}/api/key-log`)).json()) as { inboxes: Array<{ id: string; log: KeyLogEntry[] }> }
  const log = inboxes.find((i) => i.id === inboxId)!.log
  return headOf(log)
}

/** A next key version as a rotating member's browser makes it. */
async function rotation(to: Person[], opts: { version?: number; signer?: KeyPair } = {}) {
  const enc = newBoxKeyPair()
  const next = { identity: opts.signer ?? identity, encryption: enc, keyVersion: opts.version ?? encryption.length + 1 }
  const key = publishKey(next)
  const log = logKey(next, await logHead())
  const wraps = to.map((p) => ({
    reviewerId: p.id,
    boxSkWrap: sealSecretTo(enc.privateKey, p.key.publicKey),
    signSkWrap: sealSecretTo(identity.privateKey, p.key.publicKey),
  }))
  return { enc, body: { inboxId, key, log, wraps } }
}

beforeAll(async () => {
  server = await startServer({ dataDir: tempDataDir('candour-invites-') })
  const setupToken = new URL(await setupLink(server)).hash.slice(1)
  const opts = await send('/api/review/setup/options', { token: setupToken, displayName: 'Ada Admin' })
  const prepared = await prepareFirstAdmin({ kind: 'prf', prf: randomBytes(32) }, { name: 'Professional Standards', description: '' })
  const done = await send('/api/review/setup/complete', {
    ceremonyId: opts.body.ceremonyId,
    registration: softPasskey(server.url).register(opts.body.options),
    reviewer: prepared.reviewer,
    inbox: prepared.inbox,
  })
  expect(done.status, JSON.stringify(done.body)).toBe(201)
  const key = { publicKey: fromB64(prepared.reviewer.boxPk), privateKey: unwrapSecret(prepared.reviewer.keyWrap, prepared.wrapKey) }
  ada = { cookie: done.cookie, id: done.body.reviewer.id, key }
  inboxId = done.body.inboxes[0].id
  identity = { publicKey: fromB64(prepared.inbox.key.signPk), privateKey: openSealedSecret(prepared.inbox.signSkWrap, key) }
  encryption.push({ publicKey: fromB64(prepared.inbox.key.boxPk), privateKey: openSealedSecret(prepared.inbox.boxSkWrap, key) })
})

afterAll(async () => {
  await server?.stop()
  if (server) fs.rmSync(server.dataDir, { recursive: true, force: true })
})

describe('reviewer invitations', () => {
  it('enrols an invitee as a pending requester, not a member, and consumes the invite', async () => {
    const token = await invite(ada, 'Bea Reviewer', 'reviewer')
    expect((await send('/api/review/invite', { token })).body).toMatchObject({
      displayName: 'Bea Reviewer',
      role: 'reviewer',
      inboxes: ['Professional Standards'],
    })
    bea = await enrol(token)
    expect(await db('SELECT role FROM reviewers WHERE id = ?', [bea.id])).toEqual([{ role: 'reviewer' }])
    expect(await count('membership_requests WHERE reviewer_id = ? AND decided IS NULL', [bea.id])).toBe(1)
    expect(await count('inbox_members WHERE reviewer_id = ?', [bea.id])).toBe(0)
    expect(await count('inbox_key_wraps WHERE reviewer_id = ?', [bea.id])).toBe(0)
    // Used: refused, whether describing it, starting a ceremony or completing one.
    await expectRefused(410, () => send('/api/review/invite', { token }))
    await expectRefused(410, () => send('/api/review/invite/options', { token }))
  })

  it('refuses expired and tampered invitation tokens', async () => {
    const token = await invite(ada, 'Late Larry', 'reviewer')
    const opts = await send('/api/review/invite/options', { token })
    await db("UPDATE invites SET expires_at = '2000-01-01T00:00:00.000Z' WHERE used_at IS NULL")
    await expectRefused(410, () => send('/api/review/invite', { token }))
    const prepared = await prepareReviewer({ kind: 'prf', prf: randomBytes(32) })
    // A ceremony started before expiry cannot finish after it.
    await expectRefused(410, () =>
      send('/api/review/invite/complete', {
        ceremonyId: opts.body.ceremonyId,
        registration: softPasskey(server.url).register(opts.body.options),
        reviewer: prepared.reviewer,
      }),
    )
    const fresh = await invite(ada, 'Tampered Tim', 'reviewer')
    const flipped = (fresh[0] === 'A' ? 'B' : 'A') + fresh.slice(1)
    await expectRefused(410, () => send('/api/review/invite', { token: flipped }))
    await expectRefused(400, () => send('/api/review/invite', { token: fresh.slice(0, 40) }))
    await expectRefused(400, () => send('/api/review/invite/options', { token: `${fresh.slice(0, 42)}!` }))
  })

  it('lets only admins invite or remove', async () => {
    await expectRefused(403, () => send('/api/review/invites', { displayName: 'Eve', role: 'admin', inboxIds: [inboxId] }, bea.cookie))
    await expectRefused(403, () => send('/api/review/reviewers/remove', { reviewerId: ada.id }, bea.cookie))
    await expectRefused(401, () => send('/api/review/invites', { displayName: 'Eve', role: 'admin', inboxIds: [inboxId] }))
    await expectRefused(400, () => send('/api/review/invites', { displayName: 'Eve', role: 'owner', inboxIds: [inboxId] }, ada.cookie))
    await expectRefused(400, () => send('/api/review/invites', { displayName: 'Eve', role: 'reviewer', inboxIds: ['nosuchinbox'] }, ada.cookie))
    await expectRefused(400, () => send('/api/review/reviewers/remove', { reviewerId: ada.id }, ada.cookie)) // not yourself
  })
})

describe('approval by a member', () => {
  it('rotates to version 2 first, so approvals must cover two key versions', async () => {
    const r = await rotation([ada])
    expect((await send('/api/review/rotate', r.body, ada.cookie)).status).toBe(201)
    encryption.push(r.enc)
    expect(await count('inbox_keys WHERE inbox_id = ?', [inboxId])).toBe(2)
  })

  it('refuses approval by anyone who is not a member of the inbox, admin or not', async () => {
    cy = await enrol(await invite(ada, 'Cy Admin', 'admin'))
    await expectRefused(403, () =>
      send('/api/review/members/approve', { inboxId, reviewerId: bea.id, wraps: wrapsFor(bea.key), grant: grantFor(bea.key) }, cy.cookie),
    )
    await expectRefused(403, () =>
      send('/api/review/members/approve', { inboxId, reviewerId: cy.id, wraps: wrapsFor(cy.key), grant: grantFor(cy.key) }, bea.cookie),
    )
    await expectRefused(403, () => send('/api/review/members/decline', { inboxId, reviewerId: bea.id }, cy.cookie))
    await expectRefused(401, () => send('/api/review/members/approve', { inboxId, reviewerId: bea.id, wraps: wrapsFor(bea.key), grant: grantFor(bea.key) }))
  })

  it('refuses wraps that miss a key version, add one, or are the wrong size', async () => {
    await expectRefused(400, () =>
      send('/api/review/members/approve', { inboxId, reviewerId: bea.id, wraps: wrapsFor(bea.key, [1]), grant: grantFor(bea.key) }, ada.cookie),
    )
    await expectRefused(400, () =>
      send(
        '/api/review/members/approve',
        { inboxId, reviewerId: bea.id, wraps: [...wrapsFor(bea.key), { ...wrapsFor(bea.key, [1])[0], keyVersion: 3 }], grant: grantFor(bea.key) },
        ada.cookie,
      ),
    )
    const short = wrapsFor(bea.key).map((w) => ({ ...w, boxSkWrap: w.boxSkWrap.slice(0, 40) }))
    await expectRefused(400, () => send('/api/review/members/approve', { inboxId, reviewerId: bea.id, wraps: short, grant: grantFor(bea.key) }, ada.cookie))
    // No grant, or one of the wrong size: the newcomer's browser would have nothing to check.
    await expectRefused(400, () => send('/api/review/members/approve', { inboxId, reviewerId: bea.id, wraps: wrapsFor(bea.key) }, ada.cookie))
    await expectRefused(400, () =>
      send('/api/review/members/approve', { inboxId, reviewerId: bea.id, wraps: wrapsFor(bea.key), grant: grantFor(bea.key).slice(4) }, ada.cookie),
    )
  })

  it('adds the member with wraps for every version when a member approves', async () => {
    const res = await send('/api/review/members/approve', { inboxId, reviewerId: bea.id, wraps: wrapsFor(bea.key), grant: grantFor(bea.key) }, ada.cookie)
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    expect(await count('inbox_members WHERE reviewer_id = ?', [bea.id])).toBe(1)
    const wraps = await db<{ key_version: number; box_sk_wrap: string }>(
      'SELECT key_version, box_sk_wrap FROM inbox_key_wraps WHERE reviewer_id = ? ORDER BY 1',
      [bea.id],
    )
    // Bea's own key opens what the server stored: the keys of both versions.
    expect(wraps.map((w) => openSealedSecret(w.box_sk_wrap, bea.key))).toEqual(encryption.map((e) => e.privateKey))
    // The grant is kept as sent, naming Ada, and opens for Bea against Ada's key.
    const [g] = await db<{ granted_by: string; grant_box: string }>('SELECT granted_by, grant_box FROM inbox_grants WHERE reviewer_id = ?', [bea.id])
    expect(g.granted_by).toBe(ada.id)
    expect(checkGrant(g.grant_box, inboxId, toB64(identity.publicKey), toB64(ada.key.publicKey), bea.key)).toBe(true)
    await expectRefused(409, () =>
      send('/api/review/members/approve', { inboxId, reviewerId: bea.id, wraps: wrapsFor(bea.key), grant: grantFor(bea.key) }, ada.cookie),
    )
  })

  it('declines once, then refuses to decide again', async () => {
    expect((await send('/api/review/members/decline', { inboxId, reviewerId: cy.id }, ada.cookie)).status).toBe(200)
    await expectRefused(409, () => send('/api/review/members/decline', { inboxId, reviewerId: cy.id }, ada.cookie))
    await expectRefused(409, () =>
      send('/api/review/members/approve', { inboxId, reviewerId: cy.id, wraps: wrapsFor(cy.key), grant: grantFor(cy.key) }, ada.cookie),
    )
  })
})

describe('removal and rotation', () => {
  it('removes Bea: sessions end, wraps and membership go, and the inbox is due a rotation', async () => {
    const res = await send('/api/review/reviewers/remove', { reviewerId: bea.id }, ada.cookie)
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    expect(res.body.rotations).toMatchObject([{ inboxId, keyVersion: 2, members: [{ reviewerId: ada.id }] }])
    expect(await count('inbox_key_wraps WHERE reviewer_id = ?', [bea.id])).toBe(0)
    expect(await count('inbox_members WHERE reviewer_id = ?', [bea.id])).toBe(0)
    expect(await count('passkeys WHERE reviewer_id = ?', [bea.id])).toBe(0)
    expect(await count('rotation_due WHERE inbox_id = ?', [inboxId])).toBe(1)
    await expectRefused(401, async () => send('/api/review/rotate', (await rotation([ada])).body, bea.cookie))
    await expectRefused(404, () => send('/api/review/reviewers/remove', { reviewerId: bea.id }, ada.cookie))
  })

  it('refuses a rotation with a bad signature, a wrong version, the wrong members, or from a non-member', async () => {
    await expectRefused(400, async () => send('/api/review/rotate', (await rotation([ada], { signer: newSignKeyPair() })).body, ada.cookie))
    const forged = (await rotation([ada])).body
    forged.key.signature = (await rotation([ada])).body.key.signature // a real signature, over another key
    await expectRefused(400, () => send('/api/review/rotate', forged, ada.cookie))
    await expectRefused(400, async () => send('/api/review/rotate', (await rotation([ada], { version: 4 })).body, ada.cookie))
    await expectRefused(400, async () => send('/api/review/rotate', (await rotation([ada], { version: 2 })).body, ada.cookie))
    await expectRefused(400, async () => send('/api/review/rotate', (await rotation([ada, bea])).body, ada.cookie))
    await expectRefused(403, async () => send('/api/review/rotate', (await rotation([ada])).body, cy.cookie))
  })

  it('refuses a rotation whose key log entry is off the head, names another key, or is signed by another key', async () => {
    const stale = (await rotation([ada])).body
    stale.log = logKey({ identity, encryption: newBoxKeyPair(), keyVersion: 3 }, { pos: 0, hash: (await logHead()).hash })
    await expectRefused(409, () => send('/api/review/rotate', stale, ada.cookie))
    const other = (await rotation([ada])).body
    other.log = (await rotation([ada])).body.log // a real entry, for another new key
    await expectRefused(400, () => send('/api/review/rotate', other, ada.cookie))
    const foreign = (await rotation([ada])).body
    foreign.log = logKey({ identity: newSignKeyPair(), encryption: { publicKey: fromB64(foreign.key.boxPk) }, keyVersion: 3 }, await logHead())
    await expectRefused(400, () => send('/api/review/rotate', foreign, ada.cookie))
    await expectRefused(400, async () => send('/api/review/rotate', { ...(await rotation([ada])).body, log: [] }, ada.cookie))
  })

  it('accepts the member rotation to version 3 and clears the due mark', async () => {
    const r = await rotation([ada])
    expect((await send('/api/review/rotate', r.body, ada.cookie)).status).toBe(201)
    expect(await db('SELECT MAX(key_version) AS v FROM inbox_keys WHERE inbox_id = ?', [inboxId])).toEqual([{ v: 3 }])
    expect(await count('rotation_due')).toBe(0)
  })

  it('refuses a live session whose reviewer was removed behind its back', async () => {
    await db('UPDATE reviewers SET removed_at = ? WHERE id = ?', [new Date().toISOString(), cy.id])
    await expectRefused(401, () => send('/api/review/invites', { displayName: 'Zed', role: 'reviewer', inboxIds: [inboxId] }, cy.cookie))
  })

  it('answered every request without a 5xx, and the audit chain verifies', async () => {
    expect(api.statuses.filter(([, s]) => s >= 500)).toEqual([])
    const actions = (await db<{ action: string }>('SELECT action FROM audit_log')).map((a) => a.action)
    for (const a of ['invite.create', 'member.request', 'member.approve', 'member.decline', 'reviewer.remove', 'inbox.rotate']) expect(actions).toContain(a)
    await server.stop()
    const v = adminCli(server.dataDir, ['audit:verify'])
    expect(v.code, v.stderr + v.stdout).toBe(0)
  })
})
