/**
 * Seeding for `npm run bench:inbox`: many really sealed reports, written straight into the
 * running server's database (WAL lets a second writer in between the server's own), and the
 * inbox key recovered the way a reviewer with their recovery key would, so the bench can open
 * the same boxes outside the page.
 */
import sqlite3 from 'sqlite3'
import {
  deriveReporterKeys,
  fromB64,
  newReceipt,
  openReport,
  openSealedSecret,
  parseRecoveryCode,
  ready,
  sealFollowup,
  sealReport,
  toB64,
  unwrapSecret,
  wrapKeyFromRecovery,
} from '../../crypto/index'
import { normaliseReceipt } from '../../crypto/receipt'
import type { Target } from '../../crypto/thread'
import { Store } from '../../server/db/store.server'
import { randomId } from '../../server/ids.server'
import { today } from '#common/days'
import { CATEGORY_IDS, ROLE_IDS, type Answers } from '#common/report-fields'
import { OUTCOMES } from '#common/triage-rules'
import { sqlAll } from '../support/review-api'

export type InboxTarget = Target & { reviewerId: string }

/** The inbox the browser made at setup and its current published key, as the report form gets it. */
export async function readInbox(dbFile: string): Promise<InboxTarget> {
  const [row] = await sqlAll<{ id: string; sign_pk: string; key_version: number; box_pk: string; signature: string; reviewer_id: string }>(
    dbFile,
    `SELECT i.id, i.sign_pk, k.key_version, k.box_pk, k.signature, m.reviewer_id
     FROM inboxes i JOIN inbox_keys k ON k.inbox_id = i.id JOIN inbox_members m ON m.inbox_id = i.id
     ORDER BY k.key_version DESC LIMIT 1`,
  )
  if (!row) throw new Error('no inbox in the database: did the browser setup finish?')
  return { inboxId: row.id, keyVersion: row.key_version, boxPk: row.box_pk, signPk: row.sign_pk, signature: row.signature, reviewerId: row.reviewer_id }
}

/**
 * The inbox's secret box key, from the reviewer's printed recovery key: recovery wrap → R.sk →
 * the inbox key sealed to R. The same keys the page unlocks with the passkey's PRF output.
 */
export async function inboxKeyFromRecovery(dbFile: string, inbox: InboxTarget, recoveryCode: string) {
  await ready()
  const parsed = parseRecoveryCode(recoveryCode)
  if (!parsed.ok) throw new Error(`recovery key shown at setup does not parse: ${parsed.problem}`)
  const [r] = await sqlAll<{ box_pk: string; recovery_wrap: string; box_sk_wrap: string }>(
    dbFile,
    `SELECT r.box_pk, r.recovery_wrap, w.box_sk_wrap FROM reviewers r
     JOIN inbox_key_wraps w ON w.reviewer_id = r.id AND w.inbox_id = ? AND w.key_version = ? WHERE r.id = ?`,
    [inbox.inboxId, inbox.keyVersion, inbox.reviewerId],
  )
  const reviewerKey = { publicKey: fromB64(r.box_pk), privateKey: unwrapSecret(r.recovery_wrap, wrapKeyFromRecovery(parsed.normalised)) }
  return { publicKey: inbox.boxPk, privateKey: toB64(openSealedSecret(r.box_sk_wrap, reviewerKey)) }
}

const WORDS = (
  'the sergeant said in the briefing room that it was only banter and everyone laughed when he ' +
  'repeated the comment about my accent again on the night shift van and nobody challenged it ' +
  'messages were posted in the team group chat with pictures and names of colleagues from the ' +
  'custody suite I reported it to my line manager who told me to keep my head down until the ' +
  'inspector came back from leave two other officers saw it happen and can confirm what was said'
).split(' ')

const pick = <T>(xs: readonly T[]) => xs[Math.floor(Math.random() * xs.length)]
const between = (lo: number, hi: number) => lo + Math.floor(Math.random() * (hi - lo + 1))

/** Plain words up to exactly `bytes` ASCII bytes. */
function text(bytes: number): string {
  let s = ''
  while (s.length < bytes) s += (s ? ' ' : '') + pick(WORDS)
  return s.slice(0, bytes)
}

const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10)

function answers(): Answers {
  const categories = [...new Set(Array.from({ length: between(1, 3) }, () => pick(CATEGORY_IDS)))]
  return {
    categories,
    whatHappened: text(between(200, 4096)),
    when: pick(['Last Tuesday', 'Over the past month', 'On the late shift in March', '']),
    where: pick(['Response team B', 'Custody suite', 'Group chat', '']),
    who: pick(['A sergeant on my team', 'Two PCs and a civilian investigator', '']),
    role: pick(ROLE_IDS),
    contact: '',
  }
}

/** Case fields that fit the report's age: older reports have mostly moved along the path. */
function caseFor(receivedDay: string, age: number) {
  const roll = Math.random()
  const status =
    age <= 3
      ? roll < 0.7
        ? 'received'
        : 'acknowledged'
      : roll < 0.1
        ? 'received'
        : roll < 0.3
          ? 'acknowledged'
          : roll < 0.6
            ? 'assessing'
            : roll < 0.75
              ? 'investigating'
              : roll < 0.8
                ? 'referred'
                : 'closed'
  if (status === 'received') return { status, acknowledged: null, feedback: null, closed: null, outcome: null }
  const ackAge = between(0, Math.min(age, 6))
  const acknowledged = addDays(receivedDay, ackAge)
  const later = () => addDays(acknowledged, between(0, age - ackAge))
  const feedback = ['investigating', 'referred', 'closed'].includes(status) ? later() : null
  const closed = status === 'closed' ? later() : null
  return { status, acknowledged, feedback, closed, outcome: closed ? pick(OUTCOMES) : null }
}

type Sealed = { row: unknown[]; messages: unknown[][] }

/** Seals n reports (and a follow-up or three on about one in ten) in this process, as browsers would. */
export async function sealReports(inbox: InboxTarget, n: number, days = 120): Promise<Sealed[]> {
  await ready()
  const now = today()
  const out: Sealed[] = []
  for (let i = 0; i < n; i++) {
    const receipt = newReceipt()
    const s = sealReport(answers(), receipt, inbox)
    const age = between(0, days - 1)
    const receivedDay = addDays(now, -age)
    const c = caseFor(receivedDay, age)
    const id = randomId()
    const row = [
      id,
      inbox.inboxId,
      s.keyVersion,
      JSON.stringify(s.envelope),
      s.locator,
      s.signPk,
      s.boxPk,
      s.selfNote,
      receivedDay,
      c.status,
      c.acknowledged,
      c.feedback,
      c.closed,
      c.outcome,
    ]
    const messages: unknown[][] = []
    if (Math.random() < 0.1) {
      const keys = deriveReporterKeys(normaliseReceipt(receipt))
      const sent = Array.from({ length: between(1, 3) }, () => addDays(receivedDay, between(0, age))).sort()
      sent.forEach((day, i) =>
        messages.push([id, i + 1, 'reporter', inbox.keyVersion, JSON.stringify(sealFollowup(text(between(50, 500)), keys, inbox.boxPk, [], null)), day]),
      )
    }
    out.push({ row, messages })
  }
  return out
}

/** A sealed report really opens with the recovered key: the seeding and the key are both right. */
export function checkOpens(sealed: Sealed, key: { publicKey: string; privateKey: string }) {
  const envelope = JSON.parse(sealed.row[3] as string)
  const opened = openReport(envelope, { as: 'inbox', inbox: { publicKey: fromB64(key.publicKey), privateKey: fromB64(key.privateKey) } })
  if (!opened.verified) throw new Error('a seeded report did not open and verify with the recovered inbox key')
}

/** Inserts the rows in a few big transactions through a second Store on the live file. */
export async function insertReports(dbFile: string, sealed: Sealed[], perTransaction = 2500): Promise<number> {
  const store = await Store.open(dbFile)
  let messages = 0
  try {
    for (let i = 0; i < sealed.length; i += perTransaction)
      await store.transaction(async (tx) => {
        for (const s of sealed.slice(i, i + perTransaction)) {
          await tx.run(
            `INSERT INTO reports (id, inbox_id, key_version, envelope, locator, sign_pk, box_pk, self_note, received_day,
                                  status, acknowledged_day, feedback_day, closed_day, outcome)
             VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
            s.row,
          )
          for (const m of s.messages)
            await tx.run('INSERT INTO messages (report_id, seq, author_kind, key_version, envelope, created_day) VALUES (?,?,?,?,?,?)', m)
          messages += s.messages.length
        }
      })
  } finally {
    await store.close()
  }
  await checkpoint(dbFile)
  return messages
}

/** Folds the seeded WAL into the database file, as a server running for months would have done. */
function checkpoint(dbFile: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(dbFile, (err) => {
      if (err) return reject(err)
      db.configure('busyTimeout', 5000)
      db.run('PRAGMA wal_checkpoint(TRUNCATE)', (e) => db.close(() => (e ? reject(e) : resolve())))
    })
  })
}
