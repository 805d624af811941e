import fs from 'node:fs'
import path from 'node:path'
import sqlite3 from 'sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { admin, createInbox, tempDataDir } from '../support/server'

/** The operator's view: inbox:create leaves an audit entry, audit:verify checks the chain on disk. */
let dataDir: string
let inboxes: string[]

/** Raw SQL on the database file, as someone with disk access (and no audit code) could run it. */
function rawSql(sql: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(path.join(dataDir, 'candour.sqlite'), sqlite3.OPEN_READWRITE, (err) => {
      if (err) return reject(err)
      db.exec(sql, (err2) => db.close(() => (err2 ? reject(err2) : resolve())))
    })
  })
}

beforeAll(() => {
  dataDir = tempDataDir('candour-audit-cli-')
  inboxes = [createInbox(dataDir, 'Professional Standards').id, createInbox(dataDir, 'Anti-Corruption').id]
})

afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }))

describe('admin audit commands', () => {
  let head: string

  it('inbox:create records who created which inbox, and nothing the inbox was described with', () => {
    const r = admin(dataDir, ['audit:list'])
    expect(r.code).toBe(0)
    const lines = r.stdout.trim().split('\n')
    expect(lines).toHaveLength(2)
    lines.forEach((line, i) => {
      expect(line).toMatch(new RegExp(`^${i + 1}  \\S+Z  operator  inbox\\.create ${inboxes[i]} \\{"custody":"offline","keyVersion":1\\}  [0-9a-f]{64}$`))
    })
    expect(r.stdout).not.toMatch(/Professional|officers/)
    const newest = admin(dataDir, ['audit:list', '--limit', '1']).stdout.trim().split('\n')
    expect(newest).toEqual([lines[1]])
    expect(admin(dataDir, ['audit:list', '--limit', 'x']).code).toBe(1)
  })

  it('audit:verify exits 0 and prints the head hash, which is the newest entry’s hash', () => {
    const r = admin(dataDir, ['audit:verify'])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const m = r.stdout.match(/^Audit log OK: 2 entries, head ([0-9a-f]{64})$/m)
    expect(m).not.toBeNull()
    head = m![1]
    expect(admin(dataDir, ['audit:list']).stdout.trim().split('\n')[1].endsWith(head)).toBe(true)
  })

  it('an inbox:create undone because its key file could not be written is recorded as deleted', () => {
    const r = admin(dataDir, ['inbox:create', 'Unwritten', '--key-out', path.join(dataDir, 'no-such-dir', 'k.key')])
    expect(r.code).toBe(1)
    const [created, deleted] = admin(dataDir, ['audit:list', '--limit', '2']).stdout.trim().split('\n')
    const id = created.match(/inbox\.create (\S+)/)![1]
    expect(deleted).toMatch(new RegExp(`^4  \\S+  operator  inbox\\.delete ${id} \\{"reason":"key-file-not-written"\\}`))
    expect(admin(dataDir, ['audit:verify']).stdout).toMatch(/Audit log OK: 4 entries/)
  })

  it('the database itself refuses to rewrite the log', async () => {
    await expect(rawSql(`UPDATE audit_log SET actor = 'system' WHERE seq = 1`)).rejects.toThrow(/append-only/)
    await expect(rawSql('DELETE FROM audit_log')).rejects.toThrow(/append-only/)
    expect(admin(dataDir, ['audit:verify']).code).toBe(0)
  })

  it('audit:verify exits 1 naming the entry once a row is changed behind the triggers’ back', async () => {
    await rawSql(`DROP TRIGGER audit_log_no_update; UPDATE audit_log SET detail = '{"custody":"members","keyVersion":1}' WHERE seq = 1`)
    const r = admin(dataDir, ['audit:verify'])
    expect(r.code).toBe(1)
    expect(r.stdout).not.toMatch(/Audit log OK/)
    expect(r.stderr).toMatch(/Audit log NOT OK at entry 1: entry 1 was altered/)
  })

  it('audit:verify --lang cy says what is wrong in Welsh, the reason too', () => {
    const r = admin(dataDir, ['audit:verify', '--lang', 'cy'])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/Nid yw'r log archwilio'n iawn wrth gofnod 1: newidiwyd cofnod 1 \(nid yw ei hash yn cyfateb i'w gynnwys\)/)
    expect(r.stderr).not.toMatch(/altered|entry/)
  })
})
