import fs from 'node:fs'
import path from 'node:path'
import sqlite3 from 'sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { deriveReporterKeys, openThreadAsReporter, type InboxKeys } from '../../crypto/index'
import { normaliseReceipt } from '../../crypto/receipt'
import { countRows, json, loadInboxKeys, openInboxCli, postForm, receiptFromPage, reporterToken } from '../support/http'
import { sealedSubmission } from '../support/seal'
import { admin, adminAsync, createInbox, errorLines, startServer, tempDataDir, type RunningServer } from '../support/server'
import { MIGRATIONS_DIR } from '../../server/db/migrate.server'

/** `admin backup` while reports keep arriving, `verify` (and tampering), `restore` into a fresh data dir. */
type Filed = { receipt: string; what: string }
let live: RunningServer
let restored: RunningServer | undefined
let inbox: { id: string; keyFile: string }
let keys: InboxKeys
let backupDir: string
let freshDir: string
const beforeBackup: Filed[] = []
const duringBackup: Filed[] = []
const scratch: string[] = []

const answers = (what: string) => ({ categories: ['racism'], whatHappened: what, when: '', where: '', who: '', role: '', contact: '' })
const dir = (prefix: string) => {
  const d = tempDataDir(prefix)
  scratch.push(d)
  return d
}

async function fileSealed(what: string): Promise<Filed> {
  const { receipt, body } = await sealedSubmission(inbox.id, keys, answers(what))
  const res = await json(`${live.url}/api/reports`, { body })
  if (res.status !== 201) throw new Error(`could not file: ${res.status} ${JSON.stringify(res.body)}`)
  return { receipt, what }
}

/** The receipt holder's view, through challenge, signed login and the thread. */
async function readAsReporter(url: string, f: Filed) {
  const thread = await json(`${url}/api/reporter/thread`, { token: await reporterToken(url, f.receipt) })
  expect(thread.status).toBe(200)
  return openThreadAsReporter(thread.body, deriveReporterKeys(normaliseReceipt(f.receipt))).answers
}

function locators(dbFile: string): Promise<Set<string>> {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(dbFile, sqlite3.OPEN_READONLY, (err) => {
      if (err) return reject(err)
      db.all('SELECT locator FROM reports', (err2, rows: Array<{ locator: string }>) => {
        db.close()
        if (err2) reject(err2)
        else resolve(new Set(rows.map((r) => r.locator)))
      })
    })
  })
}

const manifestOf = (d: string) => JSON.parse(fs.readFileSync(path.join(d, 'manifest.json'), 'utf8'))

beforeAll(async () => {
  const dataDir = dir('candour-backup-live-')
  inbox = createInbox(dataDir)
  keys = await loadInboxKeys(inbox.keyFile)
  live = await startServer({ dataDir })
  for (let i = 0; i < 5; i++) beforeBackup.push(await fileSealed(`Backup test report ${i}: monkey noises at a Black colleague.`))
  const what = 'Backup test report sent without JavaScript.'
  const page = await postForm(`${live.url}/report`, [
    ['intent', 'send'],
    ['inboxId', inbox.id],
    ['categories', 'racism'],
    ['whatHappened', what],
  ])
  beforeBackup.push({ receipt: receiptFromPage(page.html), what })
  backupDir = path.join(dir('candour-backup-out-'), 'backup')
  freshDir = dir('candour-backup-fresh-')
})

afterAll(async () => {
  await restored?.stop()
  await live?.stop()
  for (const d of scratch) fs.rmSync(d, { recursive: true, force: true })
})

describe('admin backup / verify / restore', () => {
  it('backs up while two clients keep submitting, and the copy is consistent', async () => {
    let done = false
    const writer = async (c: number) => {
      for (let n = 0; !done; n++) duringBackup.push(await fileSealed(`Sent during the backup by client ${c}, number ${n}.`))
    }
    const writers = [writer(0), writer(1)]
    const r = await adminAsync(live.dataDir, ['backup', backupDir])
    done = true
    await Promise.all(writers)
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/Backed up .* report\(s\), 0 blob\(s\)/)

    const manifest = manifestOf(backupDir)
    const migrations = fs
      .readdirSync(MIGRATIONS_DIR)
      .filter((f) => f.endsWith('.sql'))
      .sort()
    expect(manifest).toMatchObject({ kind: 'candour-backup', formatVersion: 1, migrations, blobs: [] })
    expect(manifest.database).toMatchObject({ path: 'candour.sqlite', size: fs.statSync(path.join(backupDir, 'candour.sqlite')).size })
    expect(manifest.database.sha256).toMatch(/^[0-9a-f]{64}$/)
    // Everything filed before the backup is in it, and perhaps some of what arrived meanwhile.
    const inCopy = await locators(path.join(backupDir, 'candour.sqlite'))
    expect(manifest.reportCount).toBe(inCopy.size)
    expect(inCopy.size).toBeGreaterThanOrEqual(beforeBackup.length)
    expect(inCopy.size).toBeLessThanOrEqual(beforeBackup.length + duringBackup.length)
    for (const f of beforeBackup) expect(inCopy.has(deriveReporterKeys(normaliseReceipt(f.receipt)).locator)).toBe(true)
    console.log(`backup test: ${beforeBackup.length} reports before, ${duringBackup.length} sent while it ran, ${inCopy.size} in the backup`)
  })

  it('verify: OK on the backup, non-zero with a clear message on a damaged copy', async () => {
    const ok = admin(live.dataDir, ['verify', backupDir])
    expect(ok.stderr).toBe('')
    expect(ok.code).toBe(0)
    expect(ok.stdout).toContain('is OK')

    const tampered = (name: string, damage: (d: string) => void) => {
      const d = path.join(dir(`candour-backup-${name}-`), 'b')
      fs.cpSync(backupDir, d, { recursive: true })
      damage(d)
      return d
    }
    const flipped = tampered('flip', (d) => {
      const db = path.join(d, 'candour.sqlite')
      const bytes = fs.readFileSync(db)
      bytes[Math.floor(bytes.length / 2)] ^= 0x01
      fs.writeFileSync(db, bytes)
    })
    const edited = tampered('manifest', (d) => {
      const m = manifestOf(d)
      fs.writeFileSync(path.join(d, 'manifest.json'), JSON.stringify({ ...m, reportCount: m.reportCount + 1 }))
    })
    const extra = tampered('extra', (d) => {
      fs.mkdirSync(path.join(d, 'blobs'))
      fs.writeFileSync(path.join(d, 'blobs', 'stray.bin'), 'not in the manifest')
    })
    const noManifest = tampered('nomanifest', (d) => fs.rmSync(path.join(d, 'manifest.json')))
    const cases: Array<[string, RegExp]> = [
      [flipped, /candour\.sqlite: SHA-256 differs from the manifest/],
      [edited, /reports, the manifest says/],
      [extra, /blobs\/stray\.bin: not in the manifest/],
      [noManifest, /Cannot read .*manifest\.json/],
    ]
    for (const [d, message] of cases) {
      const r = admin(live.dataDir, ['verify', d])
      expect(r.code, d).not.toBe(0)
      expect(r.stderr).toContain('is NOT OK')
      expect(r.stderr).toMatch(message)
    }
    // A damaged backup is never restored, and the target is left untouched.
    const target = dir('candour-backup-refused-')
    const r = admin(target, ['restore', flipped])
    expect(r.code).not.toBe(0)
    expect(r.stderr).toContain('does not verify; nothing was changed')
    expect(fs.readdirSync(target)).toEqual([])
  })

  it('restore is refused onto the data dir of a running server, even with --force', async () => {
    const before = await countRows(live.dbFile)
    const r = admin(live.dataDir, ['restore', backupDir, '--force'])
    expect(r.code).not.toBe(0)
    expect(r.stderr).toMatch(/is in use \(is the server running\?\)/)
    expect(await countRows(live.dbFile)).toBe(before)
    expect(await readAsReporter(live.url, beforeBackup[0])).toEqual(answers(beforeBackup[0].what))
  })

  it('restores into a fresh DATA_DIR: every report of the backup opens with its receipt and with the inbox key', async () => {
    const r = admin(freshDir, ['restore', backupDir])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    restored = await startServer({ dataDir: freshDir })
    const inCopy = await locators(path.join(backupDir, 'candour.sqlite'))
    const expected = [...beforeBackup, ...duringBackup].filter((f) => inCopy.has(deriveReporterKeys(normaliseReceipt(f.receipt)).locator))
    expect(expected).toHaveLength(inCopy.size)
    for (const f of expected) expect(await readAsReporter(restored.url, f)).toEqual(answers(f.what))

    const out = openInboxCli(freshDir, inbox.keyFile)
    expect(out).toContain(`: ${inCopy.size} report(s)`)
    for (const f of expected) expect(out).toContain(f.what)
    expect(out).not.toMatch(/cannot open|WARNING|NOT VERIFIED/)
    expect(errorLines(restored.output())).toEqual([])
  })

  it('a non-empty DATA_DIR is only replaced with --force, once its server is stopped', async () => {
    await restored!.stop()
    const refused = admin(freshDir, ['restore', backupDir])
    expect(refused.code).not.toBe(0)
    expect(refused.stderr).toContain('is not empty')
    const forced = admin(freshDir, ['restore', backupDir, '--force'])
    expect(forced.stderr).toBe('')
    expect(forced.code).toBe(0)
    expect(admin(freshDir, ['verify', backupDir]).code).toBe(0)
    expect(await countRows(path.join(freshDir, 'candour.sqlite'))).toBe(manifestOf(backupDir).reportCount)
  })
})
