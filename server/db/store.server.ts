import fs from 'node:fs'
import path from 'node:path'
import sqlite3 from 'sqlite3'
import { type Connection, openConnection, type Params } from './connection.server'
import { checkReadable } from './damaged.server'
import { UserError } from '#common/errors'
import { isStorageFull } from '../errors.server'

/** Most writes one group commit takes, so one transaction never grows without bound. */
const GROUP_MAX = 256

/**
 * After this long without a commit the WAL is checkpointed and truncated to zero bytes. Until
 * then it holds stale frames, old copies of changed and deleted pages, which would otherwise stay
 * on disk until overwritten.
 */
const QUIET_MS = 3_000

/** Background checkpoints: at most one per this interval while writes go on. */
const CHECKPOINT_EVERY_MS = 250
/** The writer's own checkpoint threshold (pages of 4 KiB), reached only if the background falls behind. */
const BACKSTOP_CHECKPOINT_PAGES = 10_000

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
  /** Writes waiting for the next group commit (see `groupRun`), and whether one is queued. */
  private grouped: Array<{ sql: string; params: Params; done: (r: PromiseSettledResult<{ changes: number }>) => void }> = []
  private groupQueued = false

  /** The background checkpoint in flight, and when the last one started (see afterCommit). */
  private checkpoint: Promise<unknown> | undefined
  private lastCheckpoint = 0
  private quiet: NodeJS.Timeout | undefined

  private constructor(
    private readonly writer: Connection,
    readonly read: Connection,
    private readonly checkpointer: Connection,
    readonly file: string,
    private readonly quietMs: number,
  ) {}

  static async open(file: string, opts: { quietMs?: number } = {}): Promise<Store> {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 })
    await checkReadable(file)
    const writer = await openConnection(file, sqlite3.OPEN_READWRITE | sqlite3.OPEN_CREATE)
    await writer.exec(PRAGMAS)
    // SQLite's own checkpoint runs inside the COMMIT that crosses the threshold, stalling that
    // commit and every write queued behind it (the submit benchmark's p99). The writer keeps it
    // only as a backstop; checkpoints normally run on their own connection (afterCommit).
    await writer.exec(`PRAGMA wal_autocheckpoint = ${BACKSTOP_CHECKPOINT_PAGES};`)
    const checkpointer = await openConnection(file, sqlite3.OPEN_READWRITE)
    await checkpointer.exec(PRAGMAS.replace(/PRAGMA journal_mode = WAL;/, ''))
    const reader = await openConnection(file, sqlite3.OPEN_READONLY)
    await reader.exec(PRAGMAS.replace(/PRAGMA journal_mode = WAL;/, ''))
    try {
      fs.chmodSync(file, 0o600)
    } catch {
      // Not fatal: some filesystems have no modes.
    }
    return new Store(writer, reader, checkpointer, file, opts.quietMs ?? QUIET_MS)
  }

  /** Runs fn inside BEGIN IMMEDIATE … COMMIT; any throw rolls everything back. */
  transaction<T>(fn: (tx: Connection) => Promise<T>): Promise<T> {
    const run = async () => {
      await this.writer.run('BEGIN IMMEDIATE')
      try {
        const result = await fn(this.writer)
        await this.writer.run('COMMIT')
        this.afterCommit()
        return result
      } catch (err) {
        await this.writer.run('ROLLBACK').catch(() => undefined)
        // A full disk is nobody's mistake and changed nothing: say so, as a 503 in words.
        if (isStorageFull(err)) throw new UserError(503, 'errors.storage.full')
        throw err
      }
    }
    const next = this.queue.then(run, run)
    this.queue = next.catch(() => undefined)
    return next
  }

  /**
   * Group commit for one-statement writes arriving together (report submissions): with
   * synchronous=FULL every COMMIT waits for an fsync, so one transaction per request caps
   * throughput at the disk's fsync rate and queues everyone behind it. Writes that arrive while
   * a transaction is running share the next one. Each caller is answered only after that COMMIT
   * returns, so a 201 still means its own row is durable. A failing statement (say a UNIQUE
   * violation) is undone by SQLite alone and rejects only its caller; the others still commit.
   * If the COMMIT itself fails, everyone in the group gets the error.
   */
  groupRun(sql: string, params: Params): Promise<{ changes: number }> {
    return new Promise((resolve, reject) => {
      this.grouped.push({ sql, params, done: (r) => (r.status === 'fulfilled' ? resolve(r.value) : reject(r.reason)) })
      if (!this.groupQueued) this.commitGroup()
    })
  }

  private commitGroup() {
    this.groupQueued = true
    let group: typeof this.grouped | undefined
    this.transaction(async (tx) => {
      // Taken when the transaction starts, so writes that arrived while it waited join it;
      // writes arriving from now on queue the next group.
      group = this.grouped.splice(0, GROUP_MAX)
      this.groupQueued = false
      if (this.grouped.length) this.commitGroup()
      // In order, and stop at the first error that is not a constraint violation: after e.g. a
      // full disk SQLite may roll the whole transaction back itself, and anything run after that
      // would commit alone while its caller is told it failed. Throwing fails the whole group.
      const results: PromiseSettledResult<{ changes: number }>[] = []
      for (const w of group) {
        try {
          results.push({ status: 'fulfilled', value: await tx.run(w.sql, w.params) })
        } catch (reason) {
          if (!/SQLITE_CONSTRAINT/.test(String((reason as Error)?.message))) throw reason
          results.push({ status: 'rejected', reason })
        }
      }
      return results
    }).then(
      (results) => group!.forEach((w, i) => w.done(results[i])),
      (reason) => {
        // If BEGIN failed, the group was never taken: everyone waiting gets the error.
        if (!group) {
          group = this.grouped.splice(0)
          this.groupQueued = false
        }
        group.forEach((w) => w.done({ status: 'rejected', reason }))
      },
    )
  }

  /**
   * A PASSIVE checkpoint on the third connection, at most one at a time and a few per second
   * under load: it copies committed WAL frames into the database on a worker thread while the
   * writer keeps committing, so no request waits for it. Durability is unchanged: each COMMIT
   * has already reached the WAL on disk (synchronous=FULL).
   */
  private afterCommit() {
    clearTimeout(this.quiet)
    this.quiet = setTimeout(() => void this.truncateWal().catch(() => undefined), this.quietMs)
    this.quiet.unref()
    if (this.checkpoint || Date.now() - this.lastCheckpoint < CHECKPOINT_EVERY_MS) return
    this.lastCheckpoint = Date.now()
    this.checkpoint = this.checkpointer
      .run('PRAGMA wal_checkpoint(PASSIVE)')
      .catch(() => undefined) // a later one, or the backstop, catches up
      .finally(() => (this.checkpoint = undefined))
  }

  /**
   * After deletions: VACUUM rebuilds the file without the freed pages, and a TRUNCATE checkpoint
   * empties the WAL, which would otherwise keep old copies of deleted pages until overwritten.
   * Runs in the writer queue, since VACUUM cannot share the connection with a transaction.
   */
  reclaim(): Promise<void> {
    const run = async () => {
      await this.checkpoint
      await this.writer.exec('VACUUM')
      // A reader mid-query makes the checkpoint answer busy and leave frames behind: try again.
      for (let attempt = 0; attempt < 20; attempt++) {
        const r = await this.writer.get<{ busy: number }>('PRAGMA wal_checkpoint(TRUNCATE)')
        if (!r?.busy) return
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
      throw new Error('the WAL could not be emptied after deleting reports')
    }
    const next = this.queue.then(run, run)
    this.queue = next.catch(() => undefined)
    return next
  }

  /**
   * Runs in the writer queue, so no transaction of ours is open; a reader mid-query makes it
   * answer busy, and the next quiet moment tries again.
   */
  private truncateWal(): Promise<void> {
    const run = async () => {
      await this.checkpoint
      const r = await this.writer.get<{ busy: number }>('PRAGMA wal_checkpoint(TRUNCATE)')
      if (r?.busy) this.afterCommit()
    }
    const next = this.queue.then(run, run)
    this.queue = next.catch(() => undefined)
    return next
  }

  async close(): Promise<void> {
    clearTimeout(this.quiet)
    await this.queue
    await this.checkpoint
    await this.checkpointer.close()
    await this.read.close()
    await this.writer.close()
  }
}

export function isUniqueViolation(err: unknown): boolean {
  return err instanceof Error && /SQLITE_CONSTRAINT: UNIQUE|SQLITE_CONSTRAINT_PRIMARYKEY|UNIQUE constraint/.test(err.message)
}
