import { createHash } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { appendAudit, GENESIS_HASH, readAudit, verifyAudit, type AuditEvent } from '../../server/audit.server'
import { migrate } from '../../server/db/migrate.server'
import { Store } from '../../server/db/store.server'
import { i18nService } from '../../server/i18n.server'
import { speakerFor } from '../../server/cli/language.server'

/** A real SQLite file per test, migrated like the server does: no mocks of our database. */
let dir: string
let store: Store

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'candour-audit-'))
  store = await Store.open(path.join(dir, 'candour.sqlite'))
  await migrate(store)
})

afterEach(async () => {
  await store.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

const i18n = i18nService()
const english = speakerFor(i18n, 'en').say
const welsh = speakerFor(i18n, 'cy').say

const T0 = Date.parse('2026-01-31T09:00:00.000Z')
const event = (i: number): AuditEvent => ({ actor: 'operator', action: 'inbox.create', subject: `inbox${i}`, detail: { custody: 'offline', keyVersion: 1 } })
const append = (e: AuditEvent, i = 0) => store.transaction((tx) => appendAudit(tx, e, new Date(T0 + i * 1000)))

async function appendFive() {
  for (let i = 1; i <= 5; i++) await append(event(i), i)
}

/** What someone with the file on disk can do: drop the triggers, then run any SQL. */
const tamper = (sql: string) =>
  store.transaction((tx) =>
    tx.exec(`DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete;
             DROP TRIGGER IF EXISTS audit_log_append_only; ${sql}`),
  )

describe('appendAudit and verifyAudit', () => {
  it('an empty log verifies with the genesis head', async () => {
    expect(await verifyAudit(store.read)).toEqual({ ok: true, count: 0, head: GENESIS_HASH })
  })

  it('chains entries: seq 1, 2, 3…, each linked to the last, and the head moves with every append', async () => {
    const heads = new Set<string>()
    let prev = GENESIS_HASH
    for (let i = 1; i <= 5; i++) {
      const entry = await append(event(i), i)
      expect(entry).toMatchObject({ seq: i, prevHash: prev, actor: 'operator', action: 'inbox.create', subject: `inbox${i}` })
      expect(entry.at).toBe(new Date(T0 + i * 1000).toISOString())
      const check = await verifyAudit(store.read)
      expect(check).toEqual({ ok: true, count: i, head: entry.hash })
      heads.add(entry.hash)
      prev = entry.hash
    }
    expect(heads.size).toBe(5)
    expect((await readAudit(store.read)).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5])
  })

  it('hashes the documented encoding, with detail keys sorted whatever order they came in', async () => {
    const a = await append({ actor: 'reviewer:r1', action: 'session.start', detail: { z: 1, a: 'x', m: true } })
    const encoded = JSON.stringify(['candour.audit.v1', 1, a.at, 'reviewer:r1', 'session.start', null, '{"a":"x","m":true,"z":1}', GENESIS_HASH])
    expect(a.hash).toBe(createHash('sha256').update(encoded, 'utf8').digest('hex'))
    expect(Object.keys(a.detail!)).toEqual(['a', 'm', 'z'])
    const [stored] = await readAudit(store.read)
    expect(stored).toEqual(a)
    expect(stored.subject).toBeUndefined()
  })

  it('reads by subject and keeps the newest entries under a limit', async () => {
    await appendFive()
    await append({ actor: 'system', action: 'inbox.key-rotate', subject: 'inbox2' }, 6)
    expect((await readAudit(store.read, { subject: 'inbox2' })).map((e) => e.seq)).toEqual([2, 6])
    expect((await readAudit(store.read, { limit: 2 })).map((e) => e.seq)).toEqual([5, 6])
    await expect(readAudit(store.read, { limit: 0 })).rejects.toThrow(/limit/)
  })

  it('refuses malformed events with a plain Error and writes nothing', async () => {
    const bad: unknown[] = [
      { actor: 'operator', action: 'Inbox.Create' },
      { actor: 'operator', action: 'inbox' },
      { actor: 'someone', action: 'inbox.create' },
      { actor: 'reviewer:', action: 'inbox.create' },
      { actor: 'operator', action: 'inbox.create', subject: 'a report about Sgt Smith' },
      { actor: 'operator', action: 'inbox.create', detail: { note: 'x'.repeat(201) } },
      { actor: 'operator', action: 'inbox.create', detail: { nested: { a: 1 } } },
      { actor: 'operator', action: 'inbox.create', detail: { n: Number.NaN } },
      { actor: 'operator', action: 'inbox.create', extra: 'field' },
      { actor: 'operator', action: 'inbox.create', detail: Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, i])) },
    ]
    for (const e of bad) {
      const err = await append(e as AuditEvent).catch((x: unknown) => x)
      expect(err, JSON.stringify(e)).toBeInstanceOf(Error)
      expect((err as Error).message).toMatch(/^Bad audit event/)
    }
    expect(await readAudit(store.read)).toEqual([])
  })

  it('rolls back with the transaction it was appended in', async () => {
    await append(event(1), 1)
    const failing = store.transaction(async (tx) => {
      await appendAudit(tx, event(2))
      throw new Error('the change it records failed')
    })
    await expect(failing).rejects.toThrow('the change it records failed')
    expect((await readAudit(store.read)).map((e) => e.seq)).toEqual([1])
    expect((await append(event(3), 3)).seq).toBe(2)
    expect(await verifyAudit(store.read)).toMatchObject({ ok: true, count: 2 })
  })

  it('concurrent appends from 20 transactions get seq 1..20 and a valid chain', async () => {
    const entries = await Promise.all(Array.from({ length: 20 }, (_, i) => append(event(i), i)))
    expect(entries.map((e) => e.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1))
    expect(await verifyAudit(store.read)).toMatchObject({ ok: true, count: 20 })
  })
})

describe('append-only in the database', () => {
  it('refuses UPDATE and DELETE through SQL', async () => {
    await appendFive()
    await expect(store.transaction((tx) => tx.run(`UPDATE audit_log SET actor = 'system' WHERE seq = 2`))).rejects.toThrow(/append-only/)
    await expect(store.transaction((tx) => tx.run('DELETE FROM audit_log WHERE seq = 5'))).rejects.toThrow(/append-only/)
    await expect(store.transaction((tx) => tx.run('DELETE FROM audit_log'))).rejects.toThrow(/append-only/)
    expect(await verifyAudit(store.read)).toMatchObject({ ok: true, count: 5 })
  })

  it('refuses an INSERT that does not extend the chain', async () => {
    await appendFive()
    const [last] = await readAudit(store.read, { limit: 1 })
    const insert = (seq: number, prev: string) =>
      store.transaction((tx) =>
        tx.run(`INSERT INTO audit_log (seq, at, actor, action, subject, detail, prev_hash, hash) VALUES (?, 'x', 'system', 'a.b', NULL, '{}', ?, ?)`, [
          seq,
          prev,
          'f'.repeat(64),
        ]),
      )
    await expect(insert(9, last.hash)).rejects.toThrow(/extend the chain/)
    await expect(insert(6, GENESIS_HASH)).rejects.toThrow(/extend the chain/)
  })
})

describe('tampering is found at the right entry', () => {
  beforeEach(appendFive)

  it.each([
    ['detail', `UPDATE audit_log SET detail = '{"custody":"members","keyVersion":1}' WHERE seq = 3`, 3, /altered/],
    ['actor', `UPDATE audit_log SET actor = 'system' WHERE seq = 2`, 2, /altered/],
    ['at', `UPDATE audit_log SET at = '2025-01-01T00:00:00.000Z' WHERE seq = 4`, 4, /altered/],
    ['subject', `UPDATE audit_log SET subject = 'inbox9' WHERE seq = 1`, 1, /altered/],
    ['a deleted middle row', 'DELETE FROM audit_log WHERE seq = 3', 3, /missing/],
    [
      'swapped rows',
      'UPDATE audit_log SET seq = 100 WHERE seq = 2; UPDATE audit_log SET seq = 2 WHERE seq = 3; UPDATE audit_log SET seq = 3 WHERE seq = 100',
      2,
      /does not link/,
    ],
    ['prev_hash', `UPDATE audit_log SET prev_hash = '${'a'.repeat(64)}' WHERE seq = 3`, 3, /does not link/],
  ])('%s', async (_what, sql, badSeq, reason) => {
    await tamper(sql)
    const check = await verifyAudit(store.read)
    expect(check).toMatchObject({ ok: false, badSeq, count: badSeq - 1 })
    if (!check.ok) expect(english(check.reason)).toMatch(reason)
  })

  it("says its reason in the operator's language", async () => {
    await tamper('DELETE FROM audit_log WHERE seq = 3')
    const check = await verifyAudit(store.read)
    if (check.ok) throw new Error('a deleted row went unnoticed')
    expect(english(check.reason)).toBe('entry 3 is missing (the next entry is 4)')
    expect(welsh(check.reason)).toBe('mae cofnod 3 ar goll (y cofnod nesaf yw 4)')
  })

  it('a row edited with its own hash recomputed breaks the link of the next one', async () => {
    const [third] = await readAudit(store.read, { subject: 'inbox3' })
    const forged = { ...third, actor: 'system' }
    const detail = JSON.stringify(forged.detail)
    const encoded = JSON.stringify(['candour.audit.v1', 3, forged.at, 'system', forged.action, forged.subject, detail, forged.prevHash])
    const hash = createHash('sha256').update(encoded, 'utf8').digest('hex')
    await tamper(`UPDATE audit_log SET actor = 'system', hash = '${hash}' WHERE seq = 3`)
    const check = await verifyAudit(store.read)
    expect(check).toMatchObject({ ok: false, badSeq: 4 })
    if (!check.ok) expect(english(check.reason)).toMatch(/does not link/)
  })
})
