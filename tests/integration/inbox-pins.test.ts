import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { checkInboxKeys, newInboxKeys, pinInbox, toB64, type KeyPair } from '../../crypto/index'
import { migrate, MIGRATIONS_DIR } from '../../server/db/migrate.server'
import { Store } from '../../server/db/store.server'
import { firstAdminWithKeys, reviewApi, sqlAll } from '../support/review-api'
import { errorLines, startServer, tempDataDir, type RunningServer } from '../support/server'

/**
 * Pins of inbox identities against the real server: stored once per member and inbox, handed back
 * with the keyring on every sign-in beside each version's signature, and gone with the membership.
 */
let server: RunningServer
let ada: Awaited<ReturnType<typeof firstAdminWithKeys>>
const api = reviewApi(() => server.url)
const pinOf = (key: KeyPair, inboxId: string, signPk: string) => ({ inboxId, signPk, pin: pinInbox(key.privateKey, inboxId, signPk) })

async function signIn() {
  const opts = await api.post('/api/review/sign-in/options', {})
  const done = await api.post('/api/review/sign-in', { ceremonyId: opts.body.ceremonyId, assertion: ada.passkey.assert(opts.body.options) })
  expect(done.status).toBe(200)
  ada.cookie = done.cookie
  return done.body
}

beforeAll(async () => {
  server = await startServer({ dataDir: tempDataDir('candour-pins-') })
  ada = await firstAdminWithKeys(server, { api })
})

afterAll(async () => {
  await server?.stop()
  if (server) fs.rmSync(server.dataDir, { recursive: true, force: true })
})

describe('the keyring payload', () => {
  it('carries every version’s signature, so the browser can check each against the identity', async () => {
    const keyring = await signIn()
    expect(keyring.pins).toEqual({})
    expect(keyring.inboxes).toHaveLength(1)
    const [v] = keyring.inboxes
    const [stored] = await sqlAll(server.dbFile, 'SELECT signature FROM inbox_keys WHERE inbox_id = ?', [ada.inboxId])
    expect(v.signature).toBe(stored.signature)
    const checked = checkInboxKeys(ada.inboxId, keyring.inboxes, ada.reviewer.key, null)
    expect(checked.ok).toBe(true)
  })
})

describe('POST /api/review/pins', () => {
  const signPk = () => toB64(ada.inbox.identity.publicKey)

  it('stores a member’s pin once (201, audited) and hands it back with every later keyring', async () => {
    const body = pinOf(ada.reviewer.key, ada.inboxId, signPk())
    const res = await api.post('/api/review/pins', body, ada.cookie)
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    const [audit] = await sqlAll(server.dbFile, "SELECT actor, subject FROM audit_log WHERE action = 'inbox.pin'")
    expect(audit).toEqual({ actor: `reviewer:${ada.reviewer.id}`, subject: ada.inboxId })
    const keyring = await signIn()
    expect(keyring.pins).toEqual({ [ada.inboxId]: { signPk: body.signPk, pin: body.pin } })
    const checked = checkInboxKeys(ada.inboxId, keyring.inboxes, ada.reviewer.key, keyring.pins[ada.inboxId])
    expect(checked.ok && checked.pinned).toBe(true)
  })

  it('takes the same pin again without writing, and refuses a different one (409) without writing', async () => {
    const before = await sqlAll(server.dbFile, 'SELECT * FROM inbox_pins')
    const audits = (await sqlAll(server.dbFile, 'SELECT COUNT(*) AS n FROM audit_log'))[0].n
    expect((await api.post('/api/review/pins', pinOf(ada.reviewer.key, ada.inboxId, signPk()), ada.cookie)).status).toBe(201)
    const other = toB64(newInboxKeys(1).identity.publicKey)
    const refused = await api.post('/api/review/pins', pinOf(ada.reviewer.key, ada.inboxId, other), ada.cookie)
    expect(refused.status).toBe(409)
    expect(refused.body.error).toMatch(/already pin another identity key/)
    expect(await sqlAll(server.dbFile, 'SELECT * FROM inbox_pins')).toEqual(before)
    expect((await sqlAll(server.dbFile, 'SELECT COUNT(*) AS n FROM audit_log'))[0].n).toBe(audits)
  })

  it('refuses malformed input with a 400 that names it, and an inbox the reviewer is not a member of with a 403', async () => {
    const good = pinOf(ada.reviewer.key, ada.inboxId, signPk())
    for (const body of [{ ...good, pin: 'short' }, { ...good, signPk: 'x'.repeat(43) + '!' }, { ...good, extra: 1 }, { ...good, inboxId: '../x' }, [], null]) {
      const res = await api.post('/api/review/pins', body, ada.cookie)
      expect(res.status, JSON.stringify(body)).toBe(400)
    }
    expect((await api.post('/api/review/pins', pinOf(ada.reviewer.key, 'NotHerInbox1', signPk()), ada.cookie)).status).toBe(403)
    expect((await api.post('/api/review/pins', good)).status).toBe(401)
  })

  it('goes with the membership: leaving an inbox deletes the pin', async () => {
    await sqlAll(server.dbFile, 'DELETE FROM inbox_members WHERE inbox_id = ? AND reviewer_id = ?', [ada.inboxId, ada.reviewer.id])
    expect(await sqlAll(server.dbFile, 'SELECT * FROM inbox_pins')).toEqual([])
  })

  it('answered nothing with a 5xx and logged no error', () => {
    expect(api.statuses.filter(([, s]) => s >= 500)).toEqual([])
    expect(errorLines(server.output())).toEqual([])
  })
})

describe('migration 0008 on a populated database', () => {
  it('adds inbox_pins beside existing reviewers, inboxes and members, leaving them as they were', async () => {
    const dir = tempDataDir('candour-pins-migrate-')
    const older = path.join(dir, 'migrations')
    fs.mkdirSync(older)
    for (const f of fs.readdirSync(MIGRATIONS_DIR).filter((f) => f < '0008')) fs.copyFileSync(path.join(MIGRATIONS_DIR, f), path.join(older, f))
    const store = await Store.open(path.join(dir, 'candour.sqlite'))
    try {
      await migrate(store, older)
      const at = new Date().toISOString()
      await store.transaction(async (tx) => {
        await tx.run("INSERT INTO inboxes (id, name, sign_pk, custody, created_at) VALUES ('inbox-one', 'One', 'pk', 'members', ?)", [at])
        await tx.run(
          "INSERT INTO reviewers (id, display_name, role, box_pk, recovery_wrap, recovery_lookup, webauthn_user_id, created_at) VALUES ('rev-one', 'R', 'admin', 'pk', 'w', 'l', 'h', ?)",
          [at],
        )
        await tx.run("INSERT INTO inbox_members (inbox_id, reviewer_id, added_at) VALUES ('inbox-one', 'rev-one', ?)", [at])
      })
      expect(await migrate(store)).toEqual(
        fs
          .readdirSync(MIGRATIONS_DIR)
          .filter((f) => f >= '0008' && f.endsWith('.sql'))
          .sort(),
      )
      expect(await store.read.all('SELECT inbox_id, reviewer_id FROM inbox_members')).toEqual([{ inbox_id: 'inbox-one', reviewer_id: 'rev-one' }])
      await store.transaction((tx) => tx.run("INSERT INTO inbox_pins VALUES ('rev-one', 'inbox-one', 'pk', 'pin', ?)", [at]))
      await expect(store.transaction((tx) => tx.run("INSERT INTO inbox_pins VALUES ('rev-one', 'no-such-inbox', 'pk', 'pin', ?)", [at]))).rejects.toThrow(
        /FOREIGN KEY/,
      )
    } finally {
      await store.close()
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})
