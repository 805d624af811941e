import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { migrate } from '../../server/db/migrate.server'
import { isUniqueViolation, Store } from '../../server/db/store.server'
import { tempDataDir } from '../support/server'

// Store.groupRun: concurrent one-statement writes share a transaction, each answered on its own.
describe('group commit', () => {
  const dir = tempDataDir('candour-group-')
  const file = path.join(dir, 'candour.sqlite')
  let store: Store
  const insert = (id: string) => store.groupRun("INSERT INTO inboxes (id, name, sign_pk, custody, created_at) VALUES (?, 'n', 'pk', 'offline', 'x')", [id])

  beforeAll(async () => {
    store = await Store.open(file)
    await migrate(store)
  })
  afterAll(() => store.close())

  it('commits every write of a group, and fails only the one that breaks a constraint', async () => {
    const ids = Array.from({ length: 40 }, (_, i) => `group-${i}`)
    const results = await Promise.allSettled([...ids.map(insert), insert('group-7')])
    expect(results.slice(0, 40).every((r) => r.status === 'fulfilled')).toBe(true)
    const last = results[40]
    expect(last.status === 'rejected' && isUniqueViolation(last.reason)).toBe(true)
    const n = await store.read.get<{ n: number }>("SELECT COUNT(*) AS n FROM inboxes WHERE id LIKE 'group-%'")
    expect(n?.n).toBe(40)
  })

  it('fails the whole group, storing nothing, when a statement fails for another reason than a constraint', async () => {
    const ids = Array.from({ length: 10 }, (_, i) => `doomed-${i}`)
    const broken = store.groupRun('INSERT INTO no_such_table (id) VALUES (?)', ['x'])
    const results = await Promise.allSettled([...ids.slice(0, 5).map(insert), broken, ...ids.slice(5).map(insert)])
    expect(results.every((r) => r.status === 'rejected')).toBe(true)
    const n = await store.read.get<{ n: number }>("SELECT COUNT(*) AS n FROM inboxes WHERE id LIKE 'doomed-%'")
    expect(n?.n).toBe(0)
    await insert('after-doomed') // the store keeps working
  })

  it('answers only after the commit: the rows survive closing and reopening', async () => {
    await Promise.all(Array.from({ length: 300 }, (_, i) => insert(`durable-${i}`)))
    await store.close()
    store = await Store.open(file)
    const n = await store.read.get<{ n: number }>("SELECT COUNT(*) AS n FROM inboxes WHERE id LIKE 'durable-%'")
    expect(n?.n).toBe(300)
  })
})
