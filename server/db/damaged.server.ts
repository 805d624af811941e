import fs from 'node:fs'
import { pathToFileURL } from 'node:url'
import sqlite3 from 'sqlite3'
import { type Connection, openConnection } from './connection.server'

/** A database file that SQLite cannot read whole: the server must not start on it. */
export class DamagedDatabase extends Error {
  constructor(file: string, detail: string) {
    super(
      `The database file ${file} is damaged (${detail}). Candour has not started and has changed nothing. ` +
        'Check your latest backup with `npm run admin -- verify DIR`, then restore it with ' +
        '`npm run admin -- restore DIR --force` (see docs/backup.md).',
    )
    this.name = 'DamagedDatabase'
  }
}

/**
 * Reads an existing file through a read-only connection before anything opens it for writing:
 * switching to WAL, migrating or checkpointing a damaged file could make it worse, and the
 * operator's restore should start from exactly what was there.
 */
export async function checkReadable(file: string): Promise<void> {
  if (!fs.existsSync(file)) return
  let conn: Connection | undefined
  try {
    // Without a WAL to replay, immutable reads leave no trace (no -wal or -shm, no lock). After a
    // crash the main file alone may be mid-checkpoint, so then it is read with its WAL.
    const wal = fs.statSync(`${file}-wal`, { throwIfNoEntry: false })
    conn = wal?.size
      ? await openConnection(file, sqlite3.OPEN_READONLY)
      : await openConnection(`${pathToFileURL(file).href}?immutable=1`, sqlite3.OPEN_READONLY | sqlite3.OPEN_URI)
    const rows = await conn.all<{ quick_check: string }>('PRAGMA quick_check(5)')
    if (rows.length !== 1 || rows[0].quick_check !== 'ok')
      throw new DamagedDatabase(
        file,
        rows
          .map((r) => r.quick_check)
          .join('; ')
          .slice(0, 300),
      )
  } catch (err) {
    if (err instanceof DamagedDatabase) throw err
    throw new DamagedDatabase(file, (err as Error).message.replace(/^SQLITE_\w+: /, ''))
  } finally {
    await conn?.close().catch(() => undefined)
  }
}
