import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ready, type KeyLogEntry } from '../../crypto/index'
import { startAdversary, type Adversary, type Rewrite } from '../hostile/adversary'
import { foreignLog, identityOf, nextVersion, rotateOffline, storedLog } from '../support/key-log'
import { admin, adminAsync, createInbox, tempDataDir } from '../support/server'

/**
 * key-log:watch against the real server, told the truth and then behind the adversary, which
 * rolls a log back, forks it with entries signed by a thief of the identity, serves another
 * identity, breaks an entry or hides an inbox. Each lie is an alarm (exit 1) that leaves the state
 * file as it was, so the next honest answer is still judged against what was seen before the lie.
 */
const dir = tempDataDir('candour-watch-')
const stateFile = path.join(dir, 'watch.json')
let adv: Adversary
let inbox: { id: string; keyFile: string }

beforeAll(async () => {
  await ready()
  const dataDir = tempDataDir('candour-watch-server-')
  inbox = createInbox(dataDir)
  adv = await startAdversary({ dataDir })
})

afterAll(async () => {
  await adv?.stop()
  if (adv) fs.rmSync(adv.server.dataDir, { recursive: true, force: true })
  fs.rmSync(dir, { recursive: true, force: true })
})

const watch = (args = ['--state', stateFile]) => adminAsync(dir, ['key-log:watch', adv.url, ...args])

/** Serves each inbox's log as `edit` makes it. */
const editLog =
  (edit: (log: KeyLogEntry[]) => unknown[]): Rewrite =>
  (a) => {
    if (a.url !== '/api/key-log') return undefined
    const listing = JSON.parse(a.body.toString('utf8'))
    for (const i of listing.inboxes) i.log = edit(i.log)
    return { json: listing }
  }

async function expectAlarm(lie: Rewrite, pattern: RegExp) {
  const before = fs.readFileSync(stateFile, 'utf8')
  adv.lie(lie)
  const r = await watch()
  adv.lie(undefined)
  expect(r.code, r.stderr).toBe(1)
  expect(r.stderr).toMatch(/^ALARM: http:\/\/localhost:\d+ is not serving key logs that extend the ones seen before:/)
  expect(r.stderr).toMatch(pattern)
  expect(fs.readFileSync(stateFile, 'utf8')).toBe(before)
}

describe('key-log:watch', () => {
  it('records every log on the first run, with the fingerprint inbox:list prints, in a file only its owner can read', async () => {
    const r = await watch()
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const print = admin(adv.server.dataDir, ['inbox:list']).stdout.match(/fingerprint ([^)]+)\)/)![1]
    expect(r.stdout).toContain(`${inbox.id} "Professional Standards": fingerprint ${print}, 1 entries, head `)
    expect(r.stdout).toContain('(first seen)')
    expect(fs.statSync(stateFile).mode & 0o777).toBe(0o600)
    expect((await watch()).stdout).toContain('(unchanged)')
  })

  it('follows an honest rotation and moves its state to the new head', async () => {
    await rotateOffline(adv.server.dbFile, inbox.id, inbox.keyFile)
    const r = await watch()
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain('2 entries')
    expect(r.stdout).toContain('(1 new entry)')
    expect(JSON.parse(fs.readFileSync(stateFile, 'utf8')).inboxes[inbox.id].head.pos).toBe(1)
  })

  it('raises the alarm on a log rolled back to an older head', async () => {
    await expectAlarm(
      editLog((log) => log.slice(0, 1)),
      /"Professional Standards": its key log was rolled back from 2 entries to 1/,
    )
    await expectAlarm(
      editLog(() => []),
      /its key log is gone \(it had 2 entries\)/,
    )
  })

  it('raises the alarm on a fork signed by the real identity, which no browser alone could tell from the truth', async () => {
    const thief = identityOf(inbox.keyFile)
    const fork = (log: KeyLogEntry[]) => [...log.slice(0, 1), nextVersion(log.slice(0, 1), thief).entry]
    await expectAlarm(editLog(fork), /its key log was forked: it no longer holds entry 1 \(head [A-Za-z0-9_-]{43}\) seen before/)
    // Longer than the honest log, and still not holding its head.
    const longer = (log: KeyLogEntry[]) => {
      const forked = fork(log)
      return [...forked, nextVersion(forked, thief).entry]
    }
    await expectAlarm(editLog(longer), /its key log was forked/)
  })

  it('raises the alarm on another identity, an entry that does not verify, or an inbox hidden from the list', async () => {
    await expectAlarm(
      editLog(() => foreignLog().log),
      /its key log starts from another identity, fingerprint .+, not /,
    )
    await expectAlarm(
      editLog((log) => log.map((e, i) => (i === 1 ? { ...e, sig: e.sig.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')) } : e))),
      /its key log has an entry not signed by the identity in force at entry 1/,
    )
    await expectAlarm(
      (a) => (a.url === '/api/key-log' ? { json: { inboxes: [] } } : undefined),
      new RegExp(`${inbox.id} "Professional Standards": no longer listed \\(it had 2 entries\\)`),
    )
  })

  it('raises the alarm in Welsh for a Welsh terminal, behind the same ALARM: and exit code', async () => {
    const before = fs.readFileSync(stateFile, 'utf8')
    adv.lie((a) => (a.url === '/api/key-log' ? { json: { inboxes: [] } } : undefined))
    const r = await adminAsync(dir, ['key-log:watch', adv.url, '--state', stateFile], { LANG: 'cy_GB.UTF-8' })
    adv.lie(undefined)
    expect(r.code, r.stderr).toBe(1)
    expect(r.stderr).toMatch(/^ALARM: Nid yw http:\/\/localhost:\d+ yn gweini logiau allweddi sy'n estyn y rhai a welwyd o'r blaen:/)
    expect(r.stderr).toContain(`${inbox.id} "Professional Standards": nid yw wedi'i restru mwyach (roedd ganddo 2 cofnod)`)
    expect(fs.readFileSync(stateFile, 'utf8')).toBe(before)
  })

  it('shows a hostile inbox name escaped, never as terminal control codes', async () => {
    adv.lie((a) => {
      if (a.url !== '/api/key-log') return undefined
      const listing = JSON.parse(a.body.toString('utf8'))
      listing.inboxes[0].name = 'PSD\u001b[2J\u001b]0;owned\u0007'
      return { json: listing }
    })
    const r = await watch()
    adv.lie(undefined)
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).not.toMatch(/\u001b|\u0007/)
    expect(r.stdout).toContain('"PSD\\x1b[2J\\x1b]0;owned\\x07"')
  })

  it('after every lie, the truth is still judged against what was seen before it', async () => {
    const r = await watch()
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain('(unchanged)')
    expect((await storedLog(adv.server.dbFile, inbox.id)).length).toBe(2)
  })

  it('exits 2, and keeps its state, when it cannot look', async () => {
    const before = fs.readFileSync(stateFile, 'utf8')
    for (const lie of [
      (a: { url: string }) => (a.url === '/api/key-log' ? 'not json' : undefined),
      (a: { url: string }) => (a.url === '/api/key-log' ? { json: { inboxes: 'none' } } : undefined),
    ]) {
      adv.lie(lie)
      const r = await watch()
      expect(r.code, r.stderr).toBe(2)
      expect(r.stderr).toMatch(/did not answer with (JSON|a key log listing)/)
    }
    adv.lie(undefined)
    expect((await watch([])).code).toBe(2)
    const other = await adminAsync(dir, ['key-log:watch', 'http://127.0.0.1:9', '--state', stateFile])
    expect(other.code).toBe(2)
    expect(other.stderr).toContain('give each site its own state file')
    const down = await adminAsync(dir, ['key-log:watch', 'http://127.0.0.1:9', '--state', path.join(dir, 'new.json')])
    expect(down.code).toBe(2)
    expect(down.stderr).toMatch(/^Could not fetch http:\/\/127\.0\.0\.1:9\/api\/key-log/)
    expect(fs.readFileSync(stateFile, 'utf8')).toBe(before)
    expect(fs.existsSync(path.join(dir, 'new.json'))).toBe(false)
  })
})
