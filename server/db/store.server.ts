import fs from 'node:fs'
import path from 'node:path'
import sqlite3 from 'sqlite3'

type Params = unknown[] | Record<string, unknown>

/** A thin promise face over one node-sqlite3 connection. */
export class Connection {
  constructor(private readonly db: sqlite3.Database) {}

  run(sql: string, params: Params = []): Promise<{ changes: number }> {
    return new Promise((resolve, reject) =>
      this.db.run(sql, params, function (err) {
        if (err) reject(err)
        else resolve({ changes: this.changes })
      }),
    )
  }

  get<T>(sql: string, params: Params = []): Promise<T | undefined> {
    return new Promise((resolve, reject) =>
      this.db.get(sql, params, (err, row) => (err ? reject(err) : resolve(row as T | undefined))),
    )
  }

  all<T>(sql: string, params: Params = []): Promise<T[]> {
    return new Promise((resolve, reject) =>
      this.db.all(sql, params, (err, rows) => (err ? reject(err) : resolve(rows as T[]))),
    )
  }

  exec(sql: string): Promise<void> {
    return new Promise((resolve, reject) => this.db.exec(sql, (err) => (err ? reject(err) : resolve())))
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) => this.db.close((err) => (err ? reject(err) : resolve())))
  }
}

function openConnection(file: string, mode: number): Promise<Connection> {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(file, mode, (err) => (err ? reject(err) : resolve(new Connection(db))))
  })
}

const PRAGMAS = `
  PRAGMA journal_mode = WAL;
  PRAGMA synchronous = FULL;
  PRAGMA foreign_keys = ON;
  PRAGMA secure_delete = ON;
  PRAGMA busy_timeout = 5000;
  PRAGMA trusted_schema = OFF;
`

/**
 * The database: one writer connection whose transactions run one at a time (node-sqlite3 would
 * otherwise interleave statements of concurrent requests inside one transaction), and one reader
 * connection that WAL lets run alongside.
 */
export class Store {
  private queue: Promise<unknown> = Promise.resolve()

  private constructor(
    private readonly writer: Connection,
    readonly read: Connection,
    readonly file: string,
  ) {}

  static async open(file: string): Promise<Store> {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 })
    const writer = await openConnection(file, sqlite3.OPEN_READWRITE | sqlite3.OPEN_CREATE)
    await writer.exec(PRAGMAS)
    const reader = await openConnection(file, sqlite3.OPEN_READONLY)
    await reader.exec(PRAGMAS.replace(/PRAGMA journal_mode = WAL;/, ''))
    try {
      fs.chmodSync(file, 0o600)
    } catch {
      // Not fatal: some filesystems have no modes.
    }
    return new Store(writer, reader, file)
  }

  /** Runs fn inside BEGIN IMMEDIATE … COMMIT; any throw rolls everything back. */
  transaction<T>(fn: (tx: Connection) => Promise<T>): Promise<T> {
    const run = async () => {
      await this.writer.run('BEGIN IMMEDIATE')
      try {
        const result = await fn(this.writer)
        await this.writer.run('COMMIT')
        return result
      } catch (err) {
        await this.writer.run('ROLLBACK').catch(() => undefined)
        throw err
      }
    }
    const next = this.queue.then(run, run)
    this.queue = next.catch(() => undefined)
    return next
  }

  async close(): Promise<void> {
    await this.queue
    await this.read.close()
    await this.writer.close()
  }
}

export function isUniqueViolation(err: unknown): boolean {
  return err instanceof Error && /SQLITE_CONSTRAINT: UNIQUE|SQLITE_CONSTRAINT_PRIMARYKEY|UNIQUE constraint/.test(err.message)
}
