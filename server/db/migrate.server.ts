import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Store } from './store.server'

export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../migrations')

/**
 * Applies migrations/NNNN_name.sql files not yet recorded, each in its own transaction. `upTo`
 * (a file name) stops after that file, so tests can build the database an older release left.
 */
export async function migrate(store: Store, dir = MIGRATIONS_DIR, upTo?: string): Promise<string[]> {
  await store.transaction((tx) => tx.exec('CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY)'))
  const done = new Set((await store.read.all<{ name: string }>('SELECT name FROM schema_migrations')).map((r) => r.name))
  const files = fs
    .readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f) && (upTo === undefined || f <= upTo))
    .sort()
  const applied: string[] = []
  for (const file of files) {
    if (done.has(file)) continue
    const sql = fs.readFileSync(path.join(dir, file), 'utf8')
    await store.transaction(async (tx) => {
      await tx.exec(sql)
      await tx.run('INSERT INTO schema_migrations (name) VALUES (?)', [file])
    })
    applied.push(file)
  }
  return applied
}
