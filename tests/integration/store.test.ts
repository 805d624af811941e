import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { migrate } from '../../server/db/migrate.server'
import { Store } from '../../server/db/store.server'
import { tempDataDir } from '../support/server'

describe('SQLite store', () => {
  const dir = tempDataDir('candour-store-')
  let store: Store

  beforeAll(async () => {
    store = await Store.open(path.join(dir, 'candour.sqlite'))
  })
  afterAll(() => store.close())

  it('runs in WAL mode with foreign keys and secure_delete on', async () => {
    const mode = await store.read.get<{ journal_mode: string }>('PRAGMA journal_mode')
    const fk = await store.read.get<{ foreign_keys: number }>('PRAGMA foreign_keys')
    const sd = await store.read.get<{ secure_delete: number }>('PRAGMA secure_delete')
    expect(mode?.journal_mode).toBe('wal')
    expect(fk?.foreign_keys).toBe(1)
    expect(sd?.secure_delete).toBe(1)
    expect(fs.statSync(store.file).mode & 0o077).toBe(0)
  })

  it('applies each migration once and records it', async () => {
    const first = await migrate(store)
    expect(first).toContain('0001_init.sql')
    expect(await migrate(store)).toEqual([])
    const rows = await store.read.all<{ name: string }>('SELECT name FROM schema_migrations')
    expect(rows.map((r) => r.name)).toEqual(first)
  })

  it('rolls a failed transaction back whole, and keeps serving the next one', async () => {
    const at = new Date().toISOString()
    await expect(
      store.transaction(async (tx) => {
        await tx.run("INSERT INTO inboxes (id, name, sign_pk, custody, created_at) VALUES ('inbox-aaa', 'A', 'pk', 'offline', ?)", [at])
        await tx.run("INSERT INTO inboxes (id, name, sign_pk, custody, created_at) VALUES ('inbox-bbb', 'B', 'pk', 'nonsense', ?)", [at])
      }),
    ).rejects.toThrow(/CHECK constraint/)
    expect(await store.read.get("SELECT id FROM inboxes WHERE id = 'inbox-aaa'")).toBeUndefined()
    await store.transaction((tx) => tx.run("INSERT INTO inboxes (id, name, sign_pk, custody, created_at) VALUES ('inbox-ccc', 'C', 'pk', 'offline', ?)", [at]))
    expect(await store.read.get("SELECT id FROM inboxes WHERE id = 'inbox-ccc'")).toBeDefined()
  })

  it('keeps concurrent transactions apart', async () => {
    const at = new Date().toISOString()
    const ids = Array.from({ length: 20 }, (_, i) => `inbox-par-${i}`)
    const results = await Promise.allSettled(
      ids.map((id, i) =>
        store.transaction(async (tx) => {
          await tx.run('INSERT INTO inboxes (id, name, sign_pk, custody, created_at) VALUES (?, ?, ?, ?, ?)', [id, id, 'pk', 'offline', at])
          if (i % 2) throw new Error('abandon this one')
        }),
      ),
    )
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(10)
    const kept = await store.read.all<{ id: string }>("SELECT id FROM inboxes WHERE id LIKE 'inbox-par-%'")
    expect(kept.map((r) => r.id).sort()).toEqual(ids.filter((_, i) => i % 2 === 0).sort())
  })

  it('refuses a report whose inbox key version does not exist', async () => {
    await expect(
      store.transaction((tx) =>
        tx.run(
          `INSERT INTO reports (id, inbox_id, key_version, envelope, locator, sign_pk, box_pk, self_note, received_day)
           VALUES ('r1', 'inbox-ccc', 7, '{}', 'loc', 's', 'b', 'n', '2026-11-22')`,
        ),
      ),
    ).rejects.toThrow(/FOREIGN KEY/)
  })

  it('empties the WAL once writes go quiet, so stale copies of pages do not stay on disk', async () => {
    const quiet = await Store.open(path.join(dir, 'quiet.sqlite'), { quietMs: 150 })
    try {
      await quiet.transaction((tx) => tx.exec('CREATE TABLE t (x TEXT)'))
      for (let i = 0; i < 20; i++) await quiet.transaction((tx) => tx.run('INSERT INTO t VALUES (?)', ['stale page material '.repeat(50)]))
      await quiet.transaction((tx) => tx.run('DELETE FROM t'))
      const wal = path.join(dir, 'quiet.sqlite-wal')
      expect(fs.statSync(wal).size).toBeGreaterThan(0)
      for (let waited = 0; fs.statSync(wal).size > 0 && waited < 3000; waited += 50) await new Promise((r) => setTimeout(r, 50))
      expect(fs.statSync(wal).size).toBe(0)
      expect(fs.readFileSync(path.join(dir, 'quiet.sqlite')).toString('latin1')).not.toContain('stale page material')
    } finally {
      await quiet.close()
    }
  })
})
