import fs from 'node:fs'
import { pathToFileURL } from 'node:url'
import sqlite3 from 'sqlite3'

/**
 * The SQLite side of backups (server/cli/backup.server.ts holds the folder and manifest): a
 * snapshot of the live file, a look inside a copy that never writes it, and whether any process
 * holds the live file open. None of these goes through Store: no migration, no file created.
 */

// node-sqlite3 has Database#backup but its typings do not declare it.
type SqliteBackup = {
  step(pages: number, cb: (err: Error | null) => void): void
  finish(cb?: (err: Error | null) => void): void
  completed: boolean
}

function open(file: string, mode: number): Promise<sqlite3.Database> {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(file, mode, (err) => (err ? reject(err) : resolve(db)))
  })
}
const all = <T>(db: sqlite3.Database, sql: string) =>
  new Promise<T[]>((resolve, reject) => db.all(sql, (err, rows) => (err ? reject(err) : resolve(rows as T[]))))
const exec = (db: sqlite3.Database, sql: string) => new Promise<void>((resolve, reject) => db.exec(sql, (err) => (err ? reject(err) : resolve())))
const close = (db: sqlite3.Database) => new Promise<void>((resolve, reject) => db.close((err) => (err ? reject(err) : resolve())))

/** A database file opened as immutable: SQLite reads it and never writes it or any -wal/-shm beside it. */
const openImmutable = (file: string) => open(`${pathToFileURL(file).href}?immutable=1`, sqlite3.OPEN_READONLY | sqlite3.OPEN_URI)

/**
 * Copies the live database into `toFile` with SQLite's backup API in one step (-1: all pages),
 * which reads one snapshot under a read transaction: WAL lets the server keep writing meanwhile,
 * and every commit is either wholly in the copy or not at all.
 */
export async function snapshotDatabase(dbFile: string, toFile: string): Promise<void> {
  const src = await open(dbFile, sqlite3.OPEN_READONLY)
  try {
    await exec(src, 'PRAGMA busy_timeout = 5000')
    const b = (src as unknown as { backup(file: string): SqliteBackup }).backup(toFile)
    await new Promise<void>((resolve, reject) => b.step(-1, (err) => (err ? reject(err) : resolve())))
    await new Promise<void>((resolve, reject) => b.finish((err) => (err ? reject(err) : resolve())))
    if (!b.completed) throw new Error('The SQLite backup did not complete.')
  } finally {
    await close(src)
  }
}

/** Schema migrations applied and reports held, read from a copy without touching it. */
export async function describeDatabase(dbFile: string): Promise<{ migrations: string[]; reportCount: number; integrity: string }> {
  const db = await openImmutable(dbFile)
  try {
    const integrity = (await all<{ integrity_check: string }>(db, 'PRAGMA integrity_check')).map((r) => r.integrity_check).join('; ')
    const migrations = (await all<{ name: string }>(db, 'SELECT name FROM schema_migrations ORDER BY name')).map((r) => r.name)
    const [{ n }] = await all<{ n: number }>(db, 'SELECT COUNT(*) AS n FROM reports')
    return { migrations, reportCount: n, integrity }
  } finally {
    await close(db)
  }
}

/**
 * Is a process using the live database? SQLite's own locks answer it: every connection in WAL
 * mode holds a shared lock on the database file while open, so an exclusive lock is refused
 * while the server (or an admin command) runs. The OS drops those locks when a process dies,
 * even by SIGKILL, so unlike a pid file this never goes stale and never trusts a reused pid.
 * A server started after this check and before the restore ends is not detected: keep it stopped.
 */
export async function databaseInUse(dbFile: string): Promise<boolean> {
  if (!fs.existsSync(dbFile)) return false
  const db = await open(dbFile, sqlite3.OPEN_READWRITE)
  try {
    await exec(db, 'PRAGMA busy_timeout = 0; PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; COMMIT;')
    return false
  } catch (err) {
    if (/SQLITE_BUSY|SQLITE_LOCKED/.test((err as Error).message)) return true
    // The server refuses to start on a damaged file, so nothing of ours can be using it.
    if (/SQLITE_NOTADB|SQLITE_CORRUPT/.test((err as Error).message)) return false
    throw new Error(`Cannot tell whether ${dbFile} is in use (${(err as Error).message}). Stop the server, move the file aside by hand, then restore.`)
  } finally {
    await close(db)
  }
}
