import fs from 'node:fs'
import sqlite3 from 'sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { deriveReporterKeys, normaliseReceipt, openReport, openThreadAsReporter, type Envelope, type InboxKeys } from '../../crypto/index'
import { json, loadInboxKeys, reporterToken } from '../support/http'
import { sealedSubmission } from '../support/seal'
import { createInbox, startServer, tempDataDir, type RunningServer } from '../support/server'

/**
 * Crash safety: several clients post sealed reports while the server is killed with SIGKILL at
 * random moments and restarted on the same data. Every report that got a 201 must survive whole.
 */
const KILLS = 5
const CLIENTS = 4

type Sent = { receipt: string; what: string; locator: string }
let dataDir: string
let inbox: { id: string; keyFile: string }
let keys: InboxKeys
let server: RunningServer | undefined
const sent = new Map<string, Sent>()
const acked: Sent[] = []
const unexpected: string[] = []

const answers = (what: string) => ({ categories: ['bullying'], whatHappened: what, when: '', where: '', who: '', role: '', contact: '' })

/** One client: seal and post reports until the server is gone. */
async function client(url: string, name: string, round: { down: boolean; acks: number; onAck: () => void }) {
  for (let n = 0; !round.down; n++) {
    const what = `Crash test ${name} report ${n}: shouted at in the custody suite.`
    const { receipt, body } = await sealedSubmission(inbox.id, keys, answers(what))
    const one: Sent = { receipt, what, locator: body.locator }
    sent.set(one.locator, one)
    let res
    try {
      res = await json(`${url}/api/reports`, { body })
    } catch {
      return // the connection died with the server: this report's fate is unknown, and allowed either way
    }
    if (res.status !== 201) unexpected.push(`${res.status} ${JSON.stringify(res.body)}`)
    else {
      acked.push(one)
      round.acks++
      round.onAck()
    }
  }
}

/** One life of the server: start, let clients post, SIGKILL at a random moment after a few acks. */
async function crashRound(r: number) {
  server = await startServer({ dataDir })
  const url = server.url
  let enoughAcks!: () => void
  const acksSeen = new Promise<void>((resolve) => (enoughAcks = resolve))
  const round = { down: false, acks: 0, onAck: () => round.acks >= 3 && enoughAcks() }
  const clients = Array.from({ length: CLIENTS }, (_, c) => client(url, `r${r}c${c}`, round))
  await acksSeen
  await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 600))
  await server.kill('SIGKILL')
  round.down = true
  await Promise.all(clients)
}

function readDb<T>(file: string, sql: string): Promise<T[]> {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(file, sqlite3.OPEN_READONLY, (err) => {
      if (err) return reject(err)
      db.all(sql, (err2, rows) => {
        db.close()
        if (err2) reject(err2)
        else resolve(rows as T[])
      })
    })
  })
}

beforeAll(async () => {
  dataDir = tempDataDir('candour-crash-')
  inbox = createInbox(dataDir)
  keys = await loadInboxKeys(inbox.keyFile)
})

afterAll(async () => {
  await server?.stop()
  fs.rmSync(dataDir, { recursive: true, force: true })
})

describe('SIGKILL while reports arrive', () => {
  it('every acknowledged report survives whole, no half-written report, integrity_check ok', async () => {
    for (let r = 0; r < KILLS; r++) await crashRound(r)
    expect(unexpected).toEqual([])
    expect(acked.length).toBeGreaterThanOrEqual(KILLS * 3)

    server = await startServer({ dataDir })
    const url = server.url
    let found = 0
    const queue = [...acked]
    const reader = async () => {
      for (let one = queue.shift(); one; one = queue.shift()) {
        const token = await reporterToken(url, one.receipt)
        const thread = await json(`${url}/api/reporter/thread`, { token })
        expect(thread.status).toBe(200)
        const view = openThreadAsReporter(thread.body, deriveReporterKeys(normaliseReceipt(one.receipt)))
        expect(view.answers).toEqual(answers(one.what))
        found++
      }
    }
    await Promise.all(Array.from({ length: CLIENTS }, reader))
    expect(found).toBe(acked.length)
    await server.stop()

    // Every stored row is one we sent, opens with the inbox key and carries a valid signature.
    const rows = await readDb<{ locator: string; envelope: string; key_version: number }>(
      server.dbFile,
      'SELECT locator, envelope, key_version FROM reports',
    )
    for (const row of rows) {
      const one = sent.get(row.locator)
      expect(one, `a stored report nobody sent: ${row.locator}`).toBeDefined()
      const opened = openReport(JSON.parse(row.envelope) as Envelope, { as: 'inbox', inbox: keys.encryption })
      expect(opened.verified).toBe(true)
      expect(opened.answers).toEqual(answers(one!.what))
    }
    expect(rows.length).toBeGreaterThanOrEqual(acked.length)
    expect(rows.length).toBeLessThanOrEqual(sent.size)
    const [check] = await readDb<{ integrity_check: string }>(server.dbFile, 'PRAGMA integrity_check')
    expect(check.integrity_check).toBe('ok')
    console.log(
      `crash test: ${KILLS} SIGKILLs, ${sent.size} sent, ${acked.length} acknowledged, ${found} of them found whole after restart, ` +
        `${rows.length} stored (${rows.length - acked.length} unacknowledged but whole), integrity_check ok`,
    )
  })
})
