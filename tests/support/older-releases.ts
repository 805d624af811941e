import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import {
  deriveReporterKeys,
  logKey,
  newInboxKeys,
  publishKey,
  ready,
  sealFollowup,
  sealNote,
  sealReply,
  newReceipt,
  toB64,
  fromB64,
  type InboxKeys,
  type SealedReport,
} from '../../crypto/index'
import { sealEnvelope } from '../../crypto/envelope'
import { sealSelfNote } from '../../crypto/inbox'
import { signJson } from '../../crypto/signing'
import type { Connection } from '../../server/db/connection.server'
import { keyFileFor } from '../../server/inbox-key-file'

/**
 * The rows an older release would have written, one seed per migration, in plain SQL against
 * that migration's tables: each seed may use only what its own and earlier migrations made. The
 * report, its key and its thread are real crypto, so a reporter and the offline tool can still
 * open them once the database is upgraded; everything the server treats as opaque is filler.
 */

export const INBOX_ID = 'pzqk3Y7cWw1xR0sT'
export const MEMBERS_INBOX_ID = 'Mb2vN8dLq4HfA6jE'
export const REPORT_ID = 'Xc9rT2bVn5KmQ1pZ'
export const CLOSED_REPORT_ID = 'Hd4sW7yLc0NgE3uR'
export const ADMIN_ID = 'Ad7mQ2xVb9LpK4zN'
export const REVIEWER_ID = 'Rv3nH8cTw1JsY6gF'
export const RECEIVED_DAY = '2025-03-14'
export const ANSWERS = {
  categories: ['sexism'],
  whatHappened: 'Remarks about women drivers at the depot briefing, most weeks since January.',
  when: 'Mondays',
  where: 'Depot briefing room',
  who: '',
  role: 'witness',
  contact: '',
}
export const FOLLOWUP_TEXT = 'It happened again this Monday; two others heard it.'
export const REPLY_TEXT = 'Thank you. We have read your report and are looking into it.'
export const NOTE_TEXT = 'Spoke to the depot manager informally.'

export type Fixture = {
  receipt: string
  report: SealedReport
  inbox: InboxKeys
  /** The offline inbox's key file, as inbox:create wrote it. */
  keyFile: string
  /** Audit rows written so far, for the chain's next link. */
  audit: { seq: number; hash: string }
}

export async function makeFixture(dataDir: string): Promise<Fixture> {
  await ready()
  const inbox = newInboxKeys()
  const { receipt, body } = await v1Submission(inbox)
  const keyFile = path.join(dataDir, 'psd.key')
  fs.writeFileSync(keyFile, JSON.stringify(keyFileFor(INBOX_ID, 'Professional Standards', inbox)), { mode: 0o600 })
  return { receipt, report: body, inbox, keyFile, audit: { seq: 0, hash: '0'.repeat(64) } }
}

/**
 * A report as v1 sealed it: the same envelope and self-note, but a payload that names no report
 * id, so the thread it starts is not chained (docs/protocol.md, "v2 · Chained threads").
 */
async function v1Submission(inbox: InboxKeys): Promise<{ receipt: string; body: SealedReport }> {
  await ready()
  const receipt = newReceipt()
  const keys = deriveReporterKeys(receipt)
  const [signPk, boxPk] = [toB64(keys.sign.publicKey), toB64(keys.box.publicKey)]
  const plain = signJson('report', { type: 'report', answers: ANSWERS, reporter: { signPk, boxPk } }, keys.sign.privateKey)
  const key = publishKey(inbox)
  return {
    receipt,
    body: {
      reportId: REPORT_ID,
      inboxId: INBOX_ID,
      keyVersion: 1,
      envelope: sealEnvelope(plain, fromB64(key.boxPk), { kind: 'self', noteKey: keys.noteKey }),
      locator: keys.locator,
      signPk,
      boxPk,
      selfNote: sealSelfNote({ inboxId: INBOX_ID, inboxSignPk: key.signPk, keyVersion: 1 }, keys.noteKey),
    },
  }
}

const b64 = (n: number, fill: string) => Buffer.alloc(n, fill).toString('base64url')
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex')

/** An audit row in hash encoding v1 (server/audit.server.ts), linked to the previous one. */
async function audit(tx: Connection, f: Fixture, at: string, actor: string, action: string, subject: string | null, detail: string) {
  const seq = f.audit.seq + 1
  const hash = sha256(JSON.stringify(['candour.audit.v1', seq, at, actor, action, subject, detail, f.audit.hash]))
  await tx.run('INSERT INTO audit_log (seq, at, actor, action, subject, detail, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?)', [
    seq,
    at,
    actor,
    action,
    subject,
    detail,
    f.audit.hash,
    hash,
  ])
  f.audit = { seq, hash }
}

type Seed = (tx: Connection, f: Fixture, dataDir: string) => Promise<void>

/** Keyed by migration file: a new migration needs a seed here (the upgrade test says so). */
export const SEEDS: Record<string, Seed> = {
  async '0001_init.sql'(tx, f) {
    const key = publishKey(f.inbox)
    const at = '2025-01-06T09:12:44.120Z'
    await tx.run('INSERT INTO inboxes (id, name, description, sign_pk, custody, created_at) VALUES (?,?,?,?,?,?)', [
      INBOX_ID,
      'Professional Standards',
      'Reviews reports about officers and staff',
      key.signPk,
      'offline',
      at,
    ])
    await tx.run('INSERT INTO inbox_keys (inbox_id, key_version, box_pk, signature, created_at) VALUES (?,?,?,?,?)', [
      INBOX_ID,
      1,
      key.boxPk,
      key.signature,
      at,
    ])
    const r = f.report
    await tx.run(
      `INSERT INTO reports (id, inbox_id, key_version, envelope, locator, sign_pk, box_pk, self_note, received_day)
       VALUES (?,?,?,?,?,?,?,?,?)`,
      [REPORT_ID, INBOX_ID, r.keyVersion, JSON.stringify(r.envelope), r.locator, r.signPk, r.boxPk, r.selfNote, RECEIVED_DAY],
    )
    const keys = deriveReporterKeys(f.receipt)
    const followup = sealFollowup(FOLLOWUP_TEXT, keys, key.boxPk, [], null)
    const reply = sealReply({ text: REPLY_TEXT, reviewer: 'PSD reviewer', chain: null }, f.inbox, r.boxPk)
    const note = sealNote({ text: NOTE_TEXT, by: 'PSD reviewer' }, f.inbox)
    const messages: Array<[number, string, unknown, string]> = [
      [1, 'reporter', followup, '2025-03-17'],
      [2, 'reviewer', reply, '2025-03-18'],
      [3, 'note', note, '2025-03-18'],
    ]
    for (const [seq, author, env, day] of messages)
      await tx.run('INSERT INTO messages (report_id, seq, author_kind, key_version, envelope, created_day) VALUES (?,?,?,?,?,?)', [
        REPORT_ID,
        seq,
        author,
        1,
        JSON.stringify(env),
        day,
      ])
  },

  async '0002_reviewers.sql'(tx) {
    const at = '2025-02-03T14:05:09.331Z'
    await tx.run(`INSERT INTO inboxes (id, name, description, sign_pk, custody, created_at) VALUES (?,?,?,?,?,?)`, [
      MEMBERS_INBOX_ID,
      'Sexual misconduct',
      '',
      b64(32, 's'),
      'members',
      at,
    ])
    await tx.run('INSERT INTO inbox_keys (inbox_id, key_version, box_pk, signature, created_at) VALUES (?,?,?,?,?)', [
      MEMBERS_INBOX_ID,
      1,
      b64(32, 'b'),
      b64(64, 'g'),
      at,
    ])
    for (const [id, name, role, handle] of [
      [ADMIN_ID, 'A. Admin', 'admin', b64(16, 'u')],
      [REVIEWER_ID, 'R. Reviewer', 'reviewer', b64(16, 'v')],
    ])
      await tx.run('INSERT INTO reviewers (id, display_name, role, box_pk, recovery_wrap, webauthn_user_id, created_at) VALUES (?,?,?,?,?,?,?)', [
        id,
        name,
        role,
        b64(32, id[0]),
        b64(72, 'w'),
        handle,
        at,
      ])
    await tx.run(
      `INSERT INTO passkeys (id, reviewer_id, public_key, counter, transports, unlock, key_wrap, passphrase_salt, created_at, last_used_at)
       VALUES (?,?,?,?,?,?,?,?,?,?)`,
      [b64(20, 'c'), ADMIN_ID, b64(77, 'k'), 4, '["internal","hybrid"]', 'passphrase', b64(72, 'x'), b64(16, 'z'), at, '2025-02-10T08:00:00.000Z'],
    )
    await tx.run('INSERT INTO passkeys (id, reviewer_id, public_key, counter, unlock, key_wrap, created_at) VALUES (?,?,?,?,?,?,?)', [
      b64(20, 'd'),
      REVIEWER_ID,
      b64(77, 'l'),
      0,
      'prf',
      b64(72, 'y'),
      at,
    ])
    await tx.run('INSERT INTO inbox_members (inbox_id, reviewer_id, added_at) VALUES (?,?,?), (?,?,?)', [
      MEMBERS_INBOX_ID,
      ADMIN_ID,
      at,
      MEMBERS_INBOX_ID,
      REVIEWER_ID,
      at,
    ])
    await tx.run('INSERT INTO inbox_key_wraps (inbox_id, key_version, reviewer_id, box_sk_wrap, sign_sk_wrap) VALUES (?,?,?,?,?), (?,?,?,?,?)', [
      MEMBERS_INBOX_ID,
      1,
      ADMIN_ID,
      b64(80, 'p'),
      b64(112, 'q'),
      MEMBERS_INBOX_ID,
      1,
      REVIEWER_ID,
      b64(80, 'r'),
      b64(112, 's'),
    ])
    await tx.run('INSERT INTO setup_tokens (token_hash, expires_at, used_at) VALUES (?,?,?)', [sha256('setup'), '2025-02-04T14:00:00.000Z', at])
  },

  async '0003_audit.sql'(tx, f) {
    await audit(tx, f, '2025-02-03T14:05:09.331Z', 'reviewer:' + ADMIN_ID, 'reviewer.register', ADMIN_ID, '{"role":"admin"}')
    await audit(tx, f, '2025-02-03T14:06:12.004Z', 'reviewer:' + ADMIN_ID, 'inbox.create', MEMBERS_INBOX_ID, '{"custody":"members"}')
    await audit(tx, f, '2025-02-05T10:00:00.500Z', 'operator', 'inbox.create', INBOX_ID, '{"custody":"offline"}')
  },

  async '0004_recovery.sql'(tx) {
    await tx.run('UPDATE reviewers SET recovery_lookup = ? WHERE id = ?', [sha256('admin-lookup'), ADMIN_ID])
  },

  async '0005_invites.sql'(tx) {
    const hash = sha256('invite')
    await tx.run('INSERT INTO invites (token_hash, display_name, role, created_by, created_at, expires_at) VALUES (?,?,?,?,?,?)', [
      hash,
      'N. Newcomer',
      'reviewer',
      ADMIN_ID,
      '2025-04-01T09:00:00.000Z',
      '2025-04-04T09:00:00.000Z',
    ])
    await tx.run('INSERT INTO invite_inboxes (token_hash, inbox_id) VALUES (?,?)', [hash, MEMBERS_INBOX_ID])
    await tx.run('INSERT INTO membership_requests (inbox_id, reviewer_id, requested_at, decided, decided_by, decided_at) VALUES (?,?,?,?,?,?)', [
      INBOX_ID,
      REVIEWER_ID,
      '2025-04-02T11:00:00.000Z',
      'declined',
      ADMIN_ID,
      '2025-04-02T12:30:00.000Z',
    ])
    await tx.run('INSERT INTO rotation_due (inbox_id, since) VALUES (?,?)', [MEMBERS_INBOX_ID, '2025-04-03T16:20:00.000Z'])
  },

  async '0006_triage.sql'(tx) {
    await tx.run("UPDATE reports SET status = 'acknowledged', assignee_id = ?, acknowledged_day = ? WHERE id = ?", [ADMIN_ID, '2025-03-18', REPORT_ID])
    await tx.run(
      `INSERT INTO reports (id, inbox_id, key_version, envelope, locator, sign_pk, box_pk, self_note, received_day, status,
         acknowledged_day, feedback_day, closed_day, outcome, withdrawal_requested_day, withdrawal_declined_day)
       VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
      [
        CLOSED_REPORT_ID,
        MEMBERS_INBOX_ID,
        1,
        JSON.stringify({ v: 1, c: b64(300, 'e') }),
        b64(32, 'L'),
        b64(32, 'S'),
        b64(32, 'B'),
        b64(90, 'N'),
        '2025-01-20',
        'closed',
        '2025-01-21',
        '2025-02-28',
        '2025-03-01',
        'action-taken',
        '2025-02-01',
        '2025-02-02',
      ],
    )
    await tx.run('UPDATE inboxes SET retention_days = 730 WHERE id = ?', [MEMBERS_INBOX_ID])
    await tx.run('INSERT INTO report_reads (reviewer_id, report_id, seen_seq) VALUES (?,?,?), (?,?,?)', [
      ADMIN_ID,
      CLOSED_REPORT_ID,
      0,
      REVIEWER_ID,
      CLOSED_REPORT_ID,
      0,
    ])
    await tx.run('INSERT INTO reviewer_digests (reviewer_id, email, every, last_sent_at, last_counts) VALUES (?,?,?,?,?)', [
      ADMIN_ID,
      'a.admin@force.example.police.uk',
      'daily',
      '2025-03-19T07:00:00.000Z',
      '{"new":1,"overdue":0}',
    ])
  },

  async '0007_files.sql'(tx, _f, dataDir) {
    // An attached file and an upload never sent: the blob files are on disk as the server keeps them.
    const blobs: Array<[string, string | null, string | null, number, number]> = [
      ['Fb1aT6kPz0XcV3nM', null, CLOSED_REPORT_ID, 65536, 65536],
      ['Fu8qJ2wEr5YtU9iO', sha256('upload-token'), null, 262144, 131072],
    ]
    fs.mkdirSync(path.join(dataDir, 'blobs'), { recursive: true })
    for (const [id, token, report, padded, received] of blobs) {
      await tx.run('INSERT INTO blobs (id, token_hash, report_id, padded_size, received, created_day) VALUES (?,?,?,?,?,?)', [
        id,
        token,
        report,
        padded,
        received,
        '2025-01-20',
      ])
      fs.writeFileSync(path.join(dataDir, 'blobs', id), Buffer.alloc(received, 7), { mode: 0o600 })
    }
  },

  async '0008_inbox_pins.sql'(tx) {
    await tx.run('INSERT INTO inbox_pins (reviewer_id, inbox_id, sign_pk, pin, created_at) VALUES (?,?,?,?,?)', [
      REVIEWER_ID,
      MEMBERS_INBOX_ID,
      b64(32, 's'),
      b64(32, 'P'),
      '2025-05-02T10:11:12.000Z',
    ])
  },

  async '0009_plain_uploads.sql'(tx, _f, dataDir) {
    await tx.run('INSERT INTO blobs (id, token_hash, report_id, padded_size, received, created_day, plain) VALUES (?,?,?,?,?,?,?)', [
      'Fp5sD1fGh7JkL2zX',
      null,
      REPORT_ID,
      65536,
      65536,
      RECEIVED_DAY,
      1,
    ])
    fs.writeFileSync(path.join(dataDir, 'blobs', 'Fp5sD1fGh7JkL2zX'), Buffer.alloc(65536, 9), { mode: 0o600 })
  },

  async '0010_key_log.sql'(tx, f) {
    const [genesis] = logKey(f.inbox)
    await tx.run('INSERT INTO key_log (inbox_id, pos, entry) VALUES (?,?,?)', [INBOX_ID, 0, JSON.stringify(genesis)])
  },

  async '0011_thread_gaps.sql'(tx) {
    // A message an admin deleted after the thread's three: its number and link stay.
    await tx.run('INSERT INTO message_gaps (report_id, seq, link) VALUES (?,?,?)', [REPORT_ID, 4, b64(32, 'L')])
  },

  async '0012_inbox_grants.sql'(tx) {
    // The admin's grant of the members inbox to the reviewer they approved.
    await tx.run('INSERT INTO inbox_grants (inbox_id, reviewer_id, granted_by, grant_box) VALUES (?,?,?,?)', [
      MEMBERS_INBOX_ID,
      REVIEWER_ID,
      ADMIN_ID,
      b64(72, 'G'),
    ])
  },
}

/**
 * What rows written before a column existed hold once it does, keyed `table.column`: every column
 * a migration adds to an existing table must be listed (the upgrade test fails on one that is not).
 */
export const ADDED_COLUMN_VALUES: Record<string, unknown> = {
  'reviewers.recovery_lookup': null,
  'reports.assignee_id': null,
  'reports.acknowledged_day': null,
  'reports.feedback_day': null,
  'reports.closed_day': null,
  'reports.outcome': null,
  'reports.withdrawal_requested_day': null,
  'reports.withdrawal_declined_day': null,
  'inboxes.retention_days': 365,
  'blobs.plain': 0,
}
