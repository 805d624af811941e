import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  fromB64,
  newBoxKeyPair,
  openSealedSecret,
  parseRecoveryCode,
  ready,
  recoveryLookupId,
  toB64,
  unwrapSecret,
  wrapKeyFromRecovery,
  wrapSecret,
} from '../../crypto/index'
import { newRecoveryKey, prepareFirstAdmin } from '../../app/review/enrol.client'
import { setupLink } from '../e2e/reviewer-helpers'
import { reviewApi, sqlAll } from '../support/review-api'
import { errorLines, startServer, tempDataDir, type RunningServer } from '../support/server'
import { softPasskey } from '../support/soft-passkey'

/**
 * Adding, removing and recovering passkeys seen from outside a browser (fetch and a software
 * passkey): every refusal is a clear 4xx, and nothing answers 5xx.
 */
let server: RunningServer
let cookie = ''
let recoveryCode = ''
let first: ReturnType<typeof softPasskey>
let second: ReturnType<typeof softPasskey>
const { post: send, statuses } = reviewApi(() => server.url)
const sql = (query: string, params: unknown[] = []) => sqlAll(server.dbFile, query, params)

const b64 = (n: number) => randomBytes(n).toString('base64url')
const wrapShape = () => ({ keyWrap: b64(72), unlock: 'prf' as const })

beforeAll(async () => {
  await ready()
  server = await startServer({ dataDir: tempDataDir('candour-review-passkeys-') })
  const token = new URL(await setupLink(server)).hash.slice(1)
  // The first admin, made as the setup page makes it, with a software passkey.
  first = softPasskey(server.url)
  const opts = await send('/api/review/setup/options', { token, displayName: 'Dana' })
  const prepared = await prepareFirstAdmin({ kind: 'prf', prf: randomBytes(32) }, { name: 'Professional Standards', description: '' })
  recoveryCode = prepared.recoveryCode
  const done = await send('/api/review/setup/complete', {
    ceremonyId: opts.body.ceremonyId,
    registration: first.register(opts.body.options),
    reviewer: prepared.reviewer,
    inbox: prepared.inbox,
  })
  expect(done.status, JSON.stringify(done.body)).toBe(201)
  cookie = done.cookie
})

afterAll(async () => {
  await server?.stop()
  if (server) fs.rmSync(server.dataDir, { recursive: true, force: true })
})

describe('without a session', () => {
  it('the passkey endpoints answer 401 and the settings page sends to sign-in', async () => {
    for (const path of ['/api/review/passkeys/options', '/api/review/passkeys/add', '/api/review/passkeys/remove']) {
      for (const c of [undefined, `candour_review=${b64(32)}`]) {
        const r = await send(path, { id: first.id }, c)
        expect(r.status, path).toBe(401)
        expect(r.body.error).toBe('Sign in first.')
      }
    }
    const page = await fetch(`${server.url}/review/settings`, { redirect: 'manual' })
    expect([page.status, page.headers.get('location')]).toEqual([302, '/review/sign-in'])
    expect(await sql('SELECT id FROM passkeys')).toHaveLength(1)
  })
})

describe('adding and removing', () => {
  it('a second passkey is added for the same user handle, excluding the first', async () => {
    const opts = await send('/api/review/passkeys/options', {}, cookie)
    expect(opts.status).toBe(200)
    expect(opts.body.options.excludeCredentials.map((c: { id: string }) => c.id)).toEqual([first.id])
    const [reviewer] = await sql('SELECT webauthn_user_id FROM reviewers')
    expect(opts.body.options.user.id).toBe(reviewer.webauthn_user_id)
    second = softPasskey(server.url)
    const added = await send(
      '/api/review/passkeys/add',
      { ceremonyId: opts.body.ceremonyId, registration: second.register(opts.body.options), ...wrapShape() },
      cookie,
    )
    expect(added.status, JSON.stringify(added.body)).toBe(201)
    expect(await sql('SELECT action FROM audit_log WHERE action = ?', ['passkey.add'])).toHaveLength(2) // setup + this one
  })

  it("removing another reviewer's passkey, or an unknown one, is 404 and removes nothing", async () => {
    const otherKey = newBoxKeyPair()
    await sql('INSERT INTO reviewers (id, display_name, role, box_pk, recovery_wrap, webauthn_user_id, created_at) VALUES (?,?,?,?,?,?,?)', [
      'other-reviewer',
      'Eve',
      'reviewer',
      toB64(otherKey.publicKey),
      b64(72),
      b64(32),
      new Date().toISOString(),
    ])
    await sql('INSERT INTO passkeys (id, reviewer_id, public_key, counter, unlock, key_wrap, created_at) VALUES (?,?,?,?,?,?,?)', [
      'other-passkey',
      'other-reviewer',
      b64(77),
      0,
      'prf',
      b64(72),
      new Date().toISOString(),
    ])
    for (const id of ['other-passkey', b64(16)]) {
      const r = await send('/api/review/passkeys/remove', { id }, cookie)
      expect(r.status, id).toBe(404)
      expect(r.body.error).toMatch(/no passkey with this id/)
    }
    expect(await sql('SELECT id FROM passkeys')).toHaveLength(3)
  })

  it('removing the passkey of this session ends the session; the last one is kept', async () => {
    const r = await send('/api/review/passkeys/remove', { id: first.id }, cookie)
    expect(r.status, JSON.stringify(r.body)).toBe(200)
    expect(r.body.signedOut).toBe(true)
    expect((await send('/api/review/passkeys/options', {}, cookie)).status).toBe(401)
    expect(await sql('SELECT id FROM passkeys WHERE id = ?', [first.id])).toEqual([])
  })
})

describe('recovery', () => {
  const lookup = () => recoveryLookupId((parseRecoveryCode(recoveryCode) as { normalised: string }).normalised)

  it('an unknown lookup id is 404; a malformed one 400', async () => {
    const unknown = await send('/api/review/recover/options', { lookupId: b64(32) })
    expect(unknown.status).toBe(404)
    expect(unknown.body.error).toMatch(/No reviewer here has this recovery key/)
    for (const lookupId of ['short', b64(33), 42, null]) expect((await send('/api/review/recover/options', { lookupId })).status).toBe(400)
  })

  it('a wrong challenge answer is 401 and uses the challenge up; the right one then works on a new challenge', async () => {
    const before = (await sql('SELECT id FROM passkeys')).length
    const found = await send('/api/review/recover/options', { lookupId: lookup() })
    expect(found.status).toBe(200)
    const normalised = (parseRecoveryCode(recoveryCode) as { normalised: string }).normalised
    const sk = unwrapSecret(found.body.recoveryWrap, wrapKeyFromRecovery(normalised))
    const answer = toB64(openSealedSecret(found.body.challenge, { publicKey: fromB64(found.body.boxPk), privateKey: sk }))
    const passkey = softPasskey(server.url)
    const { code: _unused, ...unusedRecovery } = await newRecoveryKey(sk)
    const body = (a: string) => ({
      ceremonyId: found.body.ceremonyId,
      answer: a,
      registration: passkey.register(found.body.options),
      ...wrapShape(),
      ...unusedRecovery,
    })
    const wrong = await send('/api/review/recover/complete', body(b64(32)))
    expect(wrong.status).toBe(401)
    expect(wrong.cookie).toBe('')
    const replay = await send('/api/review/recover/complete', body(answer))
    expect(replay.status).toBe(400)
    expect(replay.body.error).toMatch(/already used/)
    expect(await sql('SELECT id FROM passkeys')).toHaveLength(before)

    const again = await send('/api/review/recover/options', { lookupId: lookup() })
    const fresh = toB64(openSealedSecret(again.body.challenge, { publicKey: fromB64(again.body.boxPk), privateKey: sk }))
    const keyWrap = wrapSecret(sk, randomBytes(32))
    // A session from before the recovery, on the passkey that is left.
    const options = await send('/api/review/sign-in/options', {})
    const earlier = await send('/api/review/sign-in', { ceremonyId: options.body.ceremonyId, assertion: second.assert(options.body.options) })
    expect(earlier.status, JSON.stringify(earlier.body)).toBe(200)
    expect((await send('/api/review/passkeys/options', {}, earlier.cookie)).status).toBe(200)
    // Without a new recovery key nothing happens: the used one is always replaced.
    const bare = { ceremonyId: again.body.ceremonyId, answer: fresh, registration: passkey.register(again.body.options), keyWrap, unlock: 'prf' }
    expect((await send('/api/review/recover/complete', bare)).status).toBe(400)
    const again2 = await send('/api/review/recover/options', { lookupId: lookup() })
    const fresh2 = toB64(openSealedSecret(again2.body.challenge, { publicKey: fromB64(again2.body.boxPk), privateKey: sk }))
    const renewed = await newRecoveryKey(sk)
    const ok = await send('/api/review/recover/complete', {
      ceremonyId: again2.body.ceremonyId,
      answer: fresh2,
      registration: passkey.register(again2.body.options),
      keyWrap,
      unlock: 'prf',
      recoveryWrap: renewed.recoveryWrap,
      recoveryLookup: renewed.recoveryLookup,
    })
    expect(ok.status, JSON.stringify(ok.body)).toBe(201)
    // The used recovery key finds nobody now; the new one finds the reviewer and unwraps the same R.sk.
    expect((await send('/api/review/recover/options', { lookupId: lookup() })).status).toBe(404)
    const next = await send('/api/review/recover/options', { lookupId: renewed.recoveryLookup })
    expect(next.status).toBe(200)
    const renewedNormalised = (parseRecoveryCode(renewed.code) as { normalised: string }).normalised
    expect(toB64(unwrapSecret(next.body.recoveryWrap, wrapKeyFromRecovery(renewedNormalised)))).toBe(toB64(sk))
    expect(ok.body.passkey).toMatchObject({ id: passkey.id, keyWrap })
    expect((await send('/api/review/passkeys/options', {}, ok.cookie)).status).toBe(200)
    // Every session from before the recovery has ended.
    expect((await send('/api/review/passkeys/options', {}, earlier.cookie)).status).toBe(401)
    expect(await sql('SELECT action FROM audit_log WHERE action = ?', ['passkey.recover'])).toHaveLength(1)
  })

  it('GET on the POST-only routes answers 405', async () => {
    for (const path of ['passkeys/options', 'passkeys/add', 'passkeys/remove', 'recover/options', 'recover/complete']) {
      const r = await fetch(`${server.url}/api/review/${path}`)
      expect([path, r.status, r.headers.get('allow')]).toEqual([path, 405, 'POST'])
    }
  })

  it('nothing answered 5xx', () => {
    expect(statuses.filter(([, s]) => s >= 500)).toEqual([])
    expect(errorLines(server.output())).toEqual([])
  })
})
