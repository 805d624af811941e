import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { deriveReporterKeys, openThreadAsReporter, sealFollowup } from '../../crypto/index'
import { verifyAudit } from '../../server/audit.server'
import type { Connection } from '../../server/db/connection.server'
import { migrate, MIGRATIONS_DIR } from '../../server/db/migrate.server'
import { Store } from '../../server/db/store.server'
import { json, openInboxCli, reporterToken } from '../support/http'
import {
  ADDED_COLUMN_VALUES,
  ANSWERS,
  FOLLOWUP_TEXT,
  makeFixture,
  NOTE_TEXT,
  RECEIVED_DAY,
  REPLY_TEXT,
  REPORT_ID,
  SEEDS,
  type Fixture,
} from '../support/older-releases'
import { errorLines, startServer, tempDataDir } from '../support/server'

/**
 * Every earlier migration as an upgrade: a database an older release left at migration N, filled
 * through that release's tables, migrated to the newest by the normal start-up path, must keep
 * every row as it was (new columns holding what the newer schema says old rows hold), and the
 * real server must start on it and serve the old report to its reporter.
 */

const FILES = fs
  .readdirSync(MIGRATIONS_DIR)
  .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
  .sort()
const EARLIER = FILES.slice(0, -1)
/** What a reporter adds to their v1 thread once the portal speaks v2. */
const CONTINUED = 'Adding this after the upgrade: it happened again.'

type Table = { columns: string[]; rows: Record<string, unknown>[] }
type Snapshot = Record<string, Table>

/** Every row of every table but schema_migrations, in a stable order. */
async function snapshot(conn: Connection, orderBy: Record<string, string[]> = {}): Promise<Snapshot> {
  const tables = await conn.all<{ name: string }>(
    "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != 'schema_migrations' ORDER BY name",
  )
  const out: Snapshot = {}
  for (const { name } of tables) {
    const columns = (await conn.all<{ name: string }>(`PRAGMA table_info(${name})`)).map((c) => c.name)
    const order = (orderBy[name] ?? columns).join(', ')
    out[name] = { columns, rows: await conn.all(`SELECT * FROM ${name} ORDER BY ${order}`) }
  }
  return out
}

const schemaOf = (conn: Connection) => conn.all("SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name")

type Older = { dataDir: string; dbFile: string; fixture: Fixture; before: Snapshot }

/** The database an older release left at migration `upTo`, with its rows. */
async function olderDatabase(upTo: string): Promise<Older> {
  const dataDir = tempDataDir('candour-upgrade-')
  const dbFile = path.join(dataDir, 'candour.sqlite')
  const fixture = await makeFixture(dataDir)
  const store = await Store.open(dbFile)
  try {
    expect(await migrate(store, MIGRATIONS_DIR, upTo)).toEqual(FILES.filter((f) => f <= upTo))
    for (const file of FILES.filter((f) => f <= upTo)) await store.transaction((tx) => SEEDS[file](tx, fixture, dataDir))
    const before = await snapshot(store.read)
    // An empty table would prove nothing about its upgrade: each seed fills what its migration made.
    for (const [name, t] of Object.entries(before)) expect(t.rows.length, `${name} at ${upTo} has rows`).toBeGreaterThan(0)
    return { dataDir, dbFile, fixture, before }
  } finally {
    await store.close()
  }
}

let newestSchema: unknown[]
const dirs: string[] = []

beforeAll(async () => {
  const dir = tempDataDir('candour-upgrade-fresh-')
  dirs.push(dir)
  const store = await Store.open(path.join(dir, 'candour.sqlite'))
  await migrate(store)
  newestSchema = await schemaOf(store.read)
  await store.close()
})

afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true })
})

describe('migrations as upgrades', () => {
  it('every migration has a seed that fills its tables the way its release did', () => {
    expect(Object.keys(SEEDS).sort()).toEqual(FILES)
    expect(EARLIER.length).toBeGreaterThan(0)
  })

  describe.each(EARLIER)('from a database at %s', (upTo) => {
    let older: Older

    beforeAll(async () => {
      older = await olderDatabase(upTo)
      dirs.push(older.dataDir)
    })

    it('migrates to the newest and keeps every row, new columns holding what old rows should', async () => {
      const store = await Store.open(older.dbFile)
      try {
        expect(await migrate(store)).toEqual(FILES.filter((f) => f > upTo))
        const names = await store.read.all<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name')
        expect(names.map((r) => r.name)).toEqual(FILES)
        const orderBy = Object.fromEntries(Object.entries(older.before).map(([name, t]) => [name, t.columns]))
        const after = await snapshot(store.read, orderBy)
        for (const [name, was] of Object.entries(older.before)) {
          const now = after[name]
          expect(now, `table ${name} survives`).toBeDefined()
          const added = now.columns.filter((c) => !was.columns.includes(c))
          for (const c of added)
            expect(Object.keys(ADDED_COLUMN_VALUES), `say in ADDED_COLUMN_VALUES what old rows hold in ${name}.${c}`).toContain(`${name}.${c}`)
          const defaults = Object.fromEntries(added.map((c) => [c, ADDED_COLUMN_VALUES[`${name}.${c}`]]))
          expect(now.rows, `rows of ${name}`).toEqual(was.rows.map((r) => ({ ...r, ...defaults })))
        }
      } finally {
        await store.close()
      }
    })

    it('ends with the same schema as a fresh database, whole, with every foreign key and the audit chain intact', async () => {
      const store = await Store.open(older.dbFile)
      try {
        expect(await schemaOf(store.read)).toEqual(newestSchema)
        expect(await store.read.all('PRAGMA foreign_key_check')).toEqual([])
        expect(await store.read.get('PRAGMA integrity_check')).toEqual({ integrity_check: 'ok' })
        const chain = await verifyAudit(store.read)
        expect(chain).toEqual({ ok: true, count: older.fixture.audit.seq, head: older.fixture.audit.hash })
        // Still append-only after the upgrade: the triggers came through.
        if (older.fixture.audit.seq) await expect(store.transaction((tx) => tx.run("UPDATE audit_log SET actor = 'system'"))).rejects.toThrow(/append-only/)
      } finally {
        await store.close()
      }
    })

    it('the real server starts on it, and the reporter reads the old report and its thread', async () => {
      const report = older.before.reports.rows.find((r) => r.id === REPORT_ID)!
      const server = await startServer({ dataDir: older.dataDir })
      try {
        const token = await reporterToken(server.url, older.fixture.receipt)
        const res = await json(`${server.url}/api/reporter/thread`, { token })
        expect(res.status).toBe(200)
        expect(res.body.receivedDay).toBe(RECEIVED_DAY)
        expect(res.body.status).toBe(report.status)
        expect(res.body.envelope).toEqual(JSON.parse(report.envelope as string))
        const view = openThreadAsReporter(res.body, deriveReporterKeys(older.fixture.receipt))
        expect(view.report).toBe('verified')
        expect(view.answers?.whatHappened).toBe(ANSWERS.whatHappened)
        expect(view.messages.map((m) => [m.author, m.day, m.text, m.verified, m.place])).toEqual([
          ['reporter', '2025-03-17', FOLLOWUP_TEXT, true, 'unchained'],
          ['reviewer', '2025-03-18', REPLY_TEXT, true, 'unchained'],
          // From the release that kept deleted messages' links on, the fixture's deletion is shown where it was.
          ...(upTo >= '0011' ? [['deleted', '', '', false, 'deleted']] : []),
        ])
        expect(errorLines(server.output())).toEqual([])
      } finally {
        await server.stop()
      }
    })

    // Sealing needs the inbox's key log, which an upgraded inbox has once a member logs it: the
    // database from the release that brought the log is the one a reporter can write to at once.
    it.runIf(upTo === '0010_key_log.sql')('a v1 thread continues in v2: the next message is chained to the last v1 one', async () => {
      const server = await startServer({ dataDir: older.dataDir })
      try {
        const token = await reporterToken(server.url, older.fixture.receipt)
        const view = openThreadAsReporter((await json(`${server.url}/api/reporter/thread`, { token })).body, deriveReporterKeys(older.fixture.receipt))
        // Under the id the report is served by; the v1 messages before it stay readable.
        const keys = deriveReporterKeys(older.fixture.receipt)
        const next = view.chain.next
        expect(next).toMatchObject({ report: REPORT_ID, n: 3 })
        const envelope = sealFollowup(CONTINUED, keys, view.sealTo!.boxPk, [], next)
        expect((await json(`${server.url}/api/reporter/messages`, { token, body: { keyVersion: 1, envelope, prev: next.prev } })).status).toBe(201)
        const after = openThreadAsReporter((await json(`${server.url}/api/reporter/thread`, { token })).body, keys)
        expect(after.messages.map((m) => [m.text, m.place])).toEqual([
          [FOLLOWUP_TEXT, 'unchained'],
          [REPLY_TEXT, 'unchained'],
          [CONTINUED, 'ok'],
        ])
        expect(after.chain).toMatchObject({ signed: false, head: { n: 3 } })
        expect(errorLines(server.output())).toEqual([])
      } finally {
        await server.stop()
      }
    })

    // The thread was written at the first migration and no later seed touches it, so the slowest
    // check runs once, on the longest upgrade.
    it.runIf(upTo === FILES[0])('the offline tool opens the old thread, internal note included', () => {
      const out = openInboxCli(older.dataDir, older.fixture.keyFile)
      for (const text of [ANSWERS.whatHappened, FOLLOWUP_TEXT, REPLY_TEXT, NOTE_TEXT]) expect(out).toContain(text)
      expect(out).toContain(RECEIVED_DAY)
    })
  })
})
