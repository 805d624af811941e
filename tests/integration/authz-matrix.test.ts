import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import sqlite3 from 'sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  makeGrant,
  adoptionStatement,
  deriveReporterKeys,
  formatReceipt,
  fromB64,
  newInboxKeys,
  newReceipt,
  openSealedSecret,
  pinInbox,
  logKey,
  publishKey,
  ready,
  SELF_NOTE_SEALED_BYTES,
  sealFollowup,
  sealNote,
  sealReply,
  sealSecretTo,
  sign,
  toB64,
  unwrapSecret,
  wrapKeyFromPrf,
  wrapSecret,
  type InboxKeys,
  type KeyPair,
} from '../../crypto/index'
import { openSelfNote, sealSelfNote } from '../../crypto/inbox'
import { normaliseReceipt } from '../../crypto/receipt'
import { newRecoveryKey, prepareFirstAdmin, prepareReviewer } from '../../app/review/enrol.client'
import { setupLink } from '../e2e/reviewer-helpers'
import { FORM_ROUTES, JSON_ROUTES } from '../fuzz/routes'
import { loadInboxKeys, reporterToken, visibleText } from '../support/http'
import { withProof } from '../support/pow'
import { keyLogHead, sqlAll } from '../support/review-api'
import { sealedSubmission } from '../support/seal'
import { createInbox, ROOT, startServer, tempDataDir, type RunningServer } from '../support/server'
import { softPasskey } from '../support/soft-passkey'

/**
 * Who may do what: every route, called by every kind of identity with otherwise well-formed
 * input, against the real server. One row per route (or per variant of a route); one column per
 * identity. A refusal must be the expected 4xx AND leave every table exactly as it was; an allowed
 * call that writes must write, and one that only reads must not.
 *
 * The identities, and what each one is trying to reach:
 *   anonymous  no cookie, no token
 *   reporterX  the owner of report X (inbox 1), signed in with its receipt: the control column
 *   reporterY  the owner of report Y (inbox 1), acting on X's thread where a route names a report
 *   reviewerB  a plain reviewer, member of inbox 2 only, acting on inbox 1 and its report X
 *   reviewerA  a plain reviewer, member of inbox 1
 *   admin      the first admin, member of inbox 1 but NOT of inbox 2 (admins get no keys by role)
 *
 * Adding a route: add its row to ROWS. The test "every route has a row" fails until you do, for
 * anything in tests/fuzz/routes.ts and every app/routes/api.* file.
 */

const WHO = ['anonymous', 'reporterX', 'reporterY', 'reviewerB', 'reviewerA', 'admin'] as const
type Who = (typeof WHO)[number]
type ReviewerWho = 'reviewerB' | 'reviewerA' | 'admin'
const isReviewer = (w: Who): w is ReviewerWho => w === 'reviewerB' || w === 'reviewerA' || w === 'admin'

const INBOX1 = 'Inbox One PSD'
const INBOX2 = 'Inbox Two Independent'

type Reviewer = { id: string; name: string; key: KeyPair; passkey: ReturnType<typeof softPasskey>; cookie: string }
type Reporter = { receipt: string; reportId: string; token: string }
/** An inbox as its members' browsers hold it: versions[i] is key version i + 1. */
type Inbox = { id: string; identity: KeyPair; versions: KeyPair[] }

type Auth = { cookie?: string; token?: string }
/** A request body (JSON, form or raw bytes), and where a row needs it, its own path and credentials. */
type Req = { json?: unknown; form?: Array<[string, string]>; bytes?: Uint8Array; path?: string; auth?: Auth }
type Sent = { status: number; text: string; body: any; setCookie: string; location: string }
type Dump = Record<string, string[]>
type Cell = { who: Who; res: Sent; before: Dump; after: Dump }
/** A status, or a status with what must (not) be stored and a check of the answer. */
type Outcome = number | { status: number; stored?: 'none' | 'changed'; check?: (c: Cell) => void | Promise<void> }
type Row = {
  /** The route as the router names it; parameters as :id. */
  route: string
  /** What sets this row apart when a route has several. */
  variant?: string
  method?: 'GET' | 'POST'
  /** The concrete path, when it differs from `route`. */
  url?: () => string
  /** Whether an allowed call stores something (default: POST yes, GET no). */
  writes?: boolean
  /** Well-formed input as `who` would send it; may first set up what it needs (a fresh report, an invitee…). */
  request?: (who: Who) => Req | Promise<Req>
  expect: Record<Who, Outcome>
  /** Keeps the test's picture of the world in step after a cell (say, a new key version). */
  after?: (who: Who, res: Sent) => void | Promise<void>
}

let server: RunningServer
let admin: Reviewer
let reviewerA: Reviewer
let reviewerB: Reviewer
let adminRecoveryLookup = ''
let inbox1: Inbox
let inbox2: Inbox
let offline: { id: string; keys: InboxKeys }
let X: Reporter
let Y: Reporter
let Z: Reporter // the report in inbox 2
const staleSetups: string[] = [] // setup ceremonies opened before the first admin existed
const blobs = { x: '', z: '' } // evidence files attached to X's and Z's reports

const reviewers = (): Record<ReviewerWho, Reviewer> => ({ reviewerB, reviewerA, admin })
const reporterOf = (w: Who) => (w === 'reporterX' ? X : w === 'reporterY' ? Y : undefined)
const current = (i: Inbox): InboxKeys => ({ identity: i.identity, encryption: i.versions.at(-1)!, keyVersion: i.versions.length })

// ---------------------------------------------------------------------------------------------
// Talking to the server

async function call(method: 'GET' | 'POST', urlPath: string, req: Req, auth: Auth = {}): Promise<Sent> {
  const url = `${server.url}${urlPath}`
  const headers: Record<string, string> = {}
  if (auth.cookie) headers.cookie = auth.cookie
  if (auth.token) headers.authorization = `Bearer ${auth.token}`
  let body: string | Blob | undefined
  if (req.bytes) {
    headers['content-type'] = 'application/octet-stream'
    body = new Blob([new Uint8Array(req.bytes)])
  } else if (req.json !== undefined) {
    headers['content-type'] = 'application/json'
    body = JSON.stringify(await withProof(url, req.json)) // the proof of work the browser adds (decision 12)
  } else if (req.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded'
    body = new URLSearchParams(req.form).toString()
  }
  const res = await fetch(url, { method, headers, body, redirect: 'manual' }).catch((err: Error & { cause?: { code?: string } }) => {
    // The server went away: say so with what it last printed, not only "fetch failed".
    throw new Error(`${method} ${urlPath}: ${err.cause?.code ?? err.message}; server output ends:\n${server.output().slice(-2000)}`)
  })
  const text = await res.text()
  let parsed: unknown = text
  try {
    parsed = JSON.parse(text)
  } catch {
    // a page, or a plain-text refusal
  }
  return { status: res.status, text, body: parsed, setCookie: res.headers.get('set-cookie') ?? '', location: res.headers.get('location') ?? '' }
}

const authOf = (who: Who): Auth => (isReviewer(who) ? { cookie: reviewers()[who].cookie } : { token: reporterOf(who)?.token })
const asAdmin = (p: string, body: unknown) => call('POST', p, { json: body }, { cookie: admin.cookie })
const ok = (res: Sent, what: string) => {
  if (res.status >= 300) throw new Error(`${what}: ${res.status} ${res.text.slice(0, 300)}`)
  return res
}
const cookieOf = (res: Sent) => res.setCookie.split(';')[0]

/** One passkey touch, as the sign-in page does it: a fresh session cookie for this reviewer. */
async function signIn(r: Reviewer) {
  const opts = ok(await call('POST', '/api/review/sign-in/options', { json: {} }), 'sign-in options')
  const done = ok(
    await call('POST', '/api/review/sign-in', { json: { ceremonyId: opts.body.ceremonyId, assertion: r.passkey.assert(opts.body.options) } }),
    'sign-in',
  )
  r.cookie = cookieOf(done)
}

/** A new reviewer from an admin's invitation, enrolled with a software passkey; waiting for approval. */
async function enrolInvitee(name: string, inboxId: string, role: 'reviewer' | 'admin' = 'reviewer'): Promise<Reviewer> {
  const token = await inviteToken(name, inboxId, role)
  const opts = ok(await call('POST', '/api/review/invite/options', { json: { token } }), 'invite options')
  const prepared = await prepareReviewer({ kind: 'prf', prf: randomBytes(32) })
  const passkey = softPasskey(server.url)
  const done = ok(
    await call('POST', '/api/review/invite/complete', {
      json: { ceremonyId: opts.body.ceremonyId, registration: passkey.register(opts.body.options), reviewer: prepared.reviewer },
    }),
    'invite complete',
  )
  const key = { publicKey: prepared.publicKey, privateKey: unwrapSecret(prepared.reviewer.keyWrap, prepared.wrapKey) }
  return { id: done.body.reviewer.id, name, key, passkey, cookie: cookieOf(done) }
}

async function inviteToken(name: string, inboxId: string, role: 'reviewer' | 'admin' = 'reviewer') {
  const res = ok(await asAdmin('/api/review/invites', { displayName: name, role, inboxIds: [inboxId] }), 'invite')
  return new URL(res.body.link).hash.slice(1)
}

/** Every key version of the inbox sealed to someone, as an approving member's browser does. */
const wrapsFor = (inbox: Inbox, to: Uint8Array) =>
  inbox.versions.map((v, i) => ({ keyVersion: i + 1, boxSkWrap: sealSecretTo(v.privateKey, to), signSkWrap: sealSecretTo(inbox.identity.privateKey, to) }))

const approveBody = (inbox: Inbox, r: Reviewer) => ({
  inboxId: inbox.id,
  reviewerId: r.id,
  wraps: wrapsFor(inbox, r.key.publicKey),
  grant: makeGrant(inbox.id, toB64(inbox.identity.publicKey), admin.key, r.key.publicKey),
})

/** Files a sealed report as a browser with JS would, signs its reporter in, and finds its row id. */
async function fileReport(inbox: Inbox): Promise<Reporter> {
  const { receipt, body } = await sealedSubmission(inbox.id, current(inbox), {
    categories: ['racism'],
    whatHappened: 'Seen at the front desk',
    role: 'witness',
  })
  ok(await call('POST', '/api/reports', { json: body }), 'file report')
  const [row] = await sqlAll<{ id: string }>(server.dbFile, 'SELECT id FROM reports WHERE locator = ?', [body.locator])
  return { receipt, reportId: row.id, token: await reporterToken(server.url, receipt) }
}

const followup = (r: Reporter, inbox: Inbox, text: string) => ({
  keyVersion: inbox.versions.length,
  envelope: sealFollowup(text, deriveReporterKeys(normaliseReceipt(r.receipt)), toB64(inbox.versions.at(-1)!.publicKey), [], null),
})

const reply = (reportId: string, r: Reporter, inbox: Inbox) => ({
  reportId,
  keyVersion: inbox.versions.length,
  envelope: sealReply(
    { text: 'Thank you, we are looking into it', reviewer: 'Reviewer X', chain: null },
    current(inbox),
    toB64(deriveReporterKeys(normaliseReceipt(r.receipt)).box.publicKey),
  ),
})

/** A follow-up the reporter just sent, for a deletion to aim at: its number in the thread. */
async function freshMessage(r: Reporter, inbox: Inbox): Promise<number> {
  ok(await call('POST', '/api/reporter/messages', { json: followup(r, inbox, 'To be deleted') }, { token: r.token }), 'follow-up')
  const [row] = await sqlAll<{ seq: number }>(server.dbFile, 'SELECT MAX(seq) AS seq FROM messages WHERE report_id = ?', [r.reportId])
  return row.seq
}

/** A new key version of the inbox, sealed to exactly its current members, as a member's browser makes it. */
let pendingRotation: KeyPair | undefined
async function rotationBody(inbox: Inbox) {
  const members = await sqlAll<{ id: string; box_pk: string }>(
    server.dbFile,
    'SELECT r.id, r.box_pk FROM inbox_members m JOIN reviewers r ON r.id = m.reviewer_id WHERE m.inbox_id = ? ORDER BY r.id',
    [inbox.id],
  )
  const next = newInboxKeys(inbox.versions.length + 1)
  pendingRotation = next.encryption
  const key = publishKey({ ...next, identity: inbox.identity })
  return {
    inboxId: inbox.id,
    key,
    log: logKey({ ...next, identity: inbox.identity }, await keyLogHead(server.dbFile, inbox.id)),
    wraps: members.map((m) => ({
      reviewerId: m.id,
      boxSkWrap: sealSecretTo(next.encryption.privateKey, fromB64(m.box_pk)),
      signSkWrap: sealSecretTo(inbox.identity.privateKey, fromB64(m.box_pk)),
    })),
  }
}

/** A pin of inbox 1's identity `signPk` as `who`'s browser makes it (strangers: with a key of their own). */
const pinBody = (who: Who, signPk: Uint8Array) => {
  const sk = isReviewer(who) ? reviewers()[who].key.privateKey : randomBytes(32)
  return { inboxId: inbox1.id, signPk: toB64(signPk), pin: pinInbox(sk, inbox1.id, toB64(signPk)) }
}

/** A new passkey's registration and wrap of R.sk, for a ceremony opened in `by`'s session. */
async function newPasskeyBody(by: Reviewer) {
  const opts = ok(await call('POST', '/api/review/passkeys/options', { json: {} }, { cookie: by.cookie }), 'passkey options')
  const passkey = softPasskey(server.url)
  return {
    ceremonyId: opts.body.ceremonyId,
    registration: passkey.register(opts.body.options),
    keyWrap: wrapSecret(by.key.privateKey, wrapKeyFromPrf(randomBytes(32))),
    unlock: 'prf',
  }
}

/** An evidence upload as a browser starts one: a proof of work, then a capability (id and token). */
async function startUpload(): Promise<{ id: string; token: string }> {
  return ok(await call('POST', '/api/files', { json: { paddedSize: 1024 } }), 'start upload').body
}

/** A finished upload attached to the reporter's report by a sealed follow-up naming it. */
async function attachedBlob(r: Reporter, inbox: Inbox): Promise<string> {
  const up = await startUpload()
  ok(await call('POST', `/api/files/${up.id}?offset=0`, { bytes: randomBytes(1024) }, { token: up.token }), 'upload bytes')
  ok(await call('POST', '/api/reporter/messages', { json: { ...followup(r, inbox, 'A photo'), files: [up] } }, { token: r.token }), 'attach')
  return up.id
}

// ---------------------------------------------------------------------------------------------
// What is stored

/** Every row of every table, as sorted JSON lines, through one read-only connection. */
function dump(): Promise<Dump> {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(server.dbFile, sqlite3.OPEN_READONLY, (err) => {
      if (err) return reject(err)
      db.configure('busyTimeout', 5000)
      db.all("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name", async (e, tables: Array<{ name: string }>) => {
        if (e) return (db.close(), reject(e))
        const out: Dump = {}
        try {
          for (const { name } of tables)
            out[name] = await new Promise<string[]>((res, rej) =>
              db.all(`SELECT * FROM "${name}"`, (e2, rows) => (e2 ? rej(e2) : res(rows.map((r) => JSON.stringify(r)).sort()))),
            )
          db.close()
          resolve(out)
        } catch (e3) {
          db.close()
          reject(e3)
        }
      })
    })
  })
}

const changedTables = (a: Dump, b: Dump) => [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((t) => JSON.stringify(a[t]) !== JSON.stringify(b[t]))

/** Rows of one table that are new in `after`. */
const added = (c: Cell, table: string) => c.after[table].filter((r) => !c.before[table].includes(r)).map((r) => JSON.parse(r))

// ---------------------------------------------------------------------------------------------
// Expectations, by who is allowed

type Expect = Record<Who, Outcome>
const everyone = (o: Outcome): Expect => ({ anonymous: o, reporterX: o, reporterY: o, reviewerB: o, reviewerA: o, admin: o })
/** Signed-in reviewers only; reporters' bearer tokens count for nothing here. */
const reviewersOnly = (o: { b: Outcome; a: Outcome; admin: Outcome }): Expect => ({
  anonymous: 401,
  reporterX: 401,
  reporterY: 401,
  reviewerB: o.b,
  reviewerA: o.a,
  admin: o.admin,
})
const membersOfInbox1 = (o: Outcome) => reviewersOnly({ b: 403, a: o, admin: o })
const membersOfInbox2 = (o: Outcome) => reviewersOnly({ b: o, a: 403, admin: 403 })
const adminsOnly = (o: Outcome) => reviewersOnly({ b: 403, a: 403, admin: o })
const anyReviewer = (o: Outcome) => reviewersOnly({ b: o, a: o, admin: o })
const signedInPage = (check?: (c: Cell) => void): Expect => ({
  anonymous: 302,
  reporterX: 302,
  reporterY: 302,
  reviewerB: check ? { status: 200, check } : 200,
  reviewerA: 200,
  admin: 200,
})
/** A reporter's own thread only: the bearer token names the report, never the body. */
const reporterOwn = (o: { x: Outcome; y: Outcome }): Expect => ({
  anonymous: 401,
  reporterX: o.x,
  reporterY: o.y,
  reviewerB: 401,
  reviewerA: 401,
  admin: 401,
})

/** What reviewer B must never see on a page: inbox 1's name and anything of its reports. */
const nothingOfInbox1 = (c: Cell) => {
  expect(c.res.text).not.toContain(INBOX1)
  expect(c.res.text).not.toContain(X.reportId)
}
const messagesOf = (d: Dump, reportId: string) => d.messages.filter((m) => JSON.parse(m).report_id === reportId)
/** Y's call landed on Y's own report, and X's thread and row are untouched. */
const onlyOwnReport = (table: 'messages' | 'reports') => (c: Cell) => {
  const mine = c.who === 'reporterX' ? X : Y
  const other = c.who === 'reporterX' ? Y : X
  if (table === 'messages') {
    expect(added(c, 'messages').map((m) => m.report_id)).toEqual([mine.reportId])
    expect(messagesOf(c.after, other.reportId)).toEqual(messagesOf(c.before, other.reportId))
  } else {
    const row = (d: Dump, id: string) => d.reports.find((r) => JSON.parse(r).id === id)
    expect(row(c.after, mine.reportId)).not.toEqual(row(c.before, mine.reportId))
    expect(row(c.after, other.reportId)).toEqual(row(c.before, other.reportId))
  }
}

// ---------------------------------------------------------------------------------------------
// The matrix. Rows run in order and may build on earlier ones (noted where they do).
//
// Some bodies cannot be well formed for everyone, because they answer a ceremony only the rightful
// party can complete (WebAuthn, recovery, adoption). For those the row says what it sends; the
// point is that the identity check comes first (401/403 before the body is looked at) where the
// route has an identity, and otherwise that the refusal is a 4xx that stores nothing.

const ROWS: Row[] = [
  // --- First-run setup: dead once a reviewer exists, whoever asks. setup/complete answers a real
  // ceremony opened before the first admin existed (so this row must run within its 5 minutes).
  { route: '/api/review/setup/options', writes: false, request: () => ({ json: { token: setupToken, displayName: 'Mallory' } }), expect: everyone(410) },
  {
    route: '/api/review/setup/complete',
    request: async () => {
      const prepared = await prepareFirstAdmin({ kind: 'prf', prf: randomBytes(32) }, { name: 'Takeover', description: '' })
      const opts = staleSetups.shift()!
      const { ceremonyId, options } = JSON.parse(opts)
      return { json: { ceremonyId, registration: softPasskey(server.url).register(options), reviewer: prepared.reviewer, inbox: prepared.inbox } }
    },
    expect: everyone(410),
  },

  // --- Reviewer sign-in: a passkey registered here, whoever holds the cookie jar.
  { route: '/api/review/sign-in/options', writes: false, request: () => ({ json: {} }), expect: everyone(200) },
  {
    route: '/api/review/sign-in',
    request: async (who) => {
      const opts = ok(await call('POST', '/api/review/sign-in/options', { json: {} }), 'sign-in options')
      // Reporters and strangers have no passkey here: theirs is a software one never registered.
      const passkey = isReviewer(who) ? reviewers()[who].passkey : softPasskey(server.url)
      return { json: { ceremonyId: opts.body.ceremonyId, assertion: passkey.assert(opts.body.options) } }
    },
    expect: anyReviewer(200),
  },

  // --- Reporters. Filing is open to anyone; everything after is bound to the receipt's keys.
  {
    route: '/api/reports',
    request: async () => ({ json: (await sealedSubmission(inbox1.id, current(inbox1), { categories: ['other'], whatHappened: 'matrix' })).body }),
    expect: everyone(201),
  },
  // Knowing the locator (derived from the receipt) earns a challenge only; every one counts
  // against the receipt's sign-in allowance (10 an hour), which the owner's login below resets.
  {
    route: '/api/reporter/challenge',
    writes: false,
    request: () => ({ json: { locator: deriveReporterKeys(normaliseReceipt(X.receipt)).locator } }),
    expect: everyone(200),
  },
  {
    route: '/api/reporter/login',
    writes: false, // sessions live in memory
    request: async (who) => {
      const locator = deriveReporterKeys(normaliseReceipt(X.receipt)).locator
      const c = ok(await call('POST', '/api/reporter/challenge', { json: { locator } }), 'challenge')
      // Each signs X's challenge with the reporter key they hold: Y's own, or (no receipt) a fresh one.
      const receipt = who === 'reporterX' ? X.receipt : who === 'reporterY' ? Y.receipt : newReceipt()
      const signature = toB64(sign('login', fromB64(c.body.challenge), deriveReporterKeys(normaliseReceipt(receipt)).sign.privateKey))
      return { json: { challengeId: c.body.challengeId, signature } }
    },
    expect: { ...everyone(401), reporterX: 200 },
  },
  {
    route: '/api/reporter/thread',
    method: 'GET',
    expect: reporterOwn({
      x: { status: 200, check: (c) => expect(c.res.body.selfNote).toBe(selfNoteOf(X)) },
      y: { status: 200, check: (c) => expect(c.res.body.selfNote).toBe(selfNoteOf(Y)) }, // Y reads Y's thread, never X's
    }),
  },
  {
    route: '/api/reporter/messages',
    request: (who) => ({ json: followup(who === 'reporterY' ? Y : X, inbox1, 'One more thing') }),
    expect: reporterOwn({ x: { status: 201, check: onlyOwnReport('messages') }, y: { status: 201, check: onlyOwnReport('messages') } }),
  },
  {
    route: '/api/reporter/messages',
    variant: 'naming X’s report in the body',
    request: (who) => ({ json: { ...followup(who === 'reporterY' ? Y : X, inbox1, 'Into X'), reportId: X.reportId } }),
    expect: reporterOwn({ x: 400, y: 400 }),
  },

  // --- Invitations: the token is the credential, so anyone holding one may use it.
  {
    route: '/api/review/invite',
    writes: false,
    request: async () => ({ json: { token: await inviteToken('Ivy Invitee', inbox1.id) } }),
    expect: everyone(200),
  },
  {
    route: '/api/review/invite/options',
    writes: false,
    request: async () => ({ json: { token: await inviteToken('Ivo Invitee', inbox1.id) } }),
    expect: everyone(200),
  },
  {
    route: '/api/review/invite/complete',
    request: async () => {
      const opts = ok(await call('POST', '/api/review/invite/options', { json: { token: await inviteToken('Ike Invitee', inbox1.id) } }), 'invite options')
      const prepared = await prepareReviewer({ kind: 'prf', prf: randomBytes(32) })
      return { json: { ceremonyId: opts.body.ceremonyId, registration: softPasskey(server.url).register(opts.body.options), reviewer: prepared.reviewer } }
    },
    // A signed-in reviewer completing one becomes the invitee in that browser (their session ends).
    expect: everyone(201),
  },
  { route: '/api/review/invites', request: () => ({ json: { displayName: 'Nat New', role: 'reviewer', inboxIds: [inbox1.id] } }), expect: adminsOnly(201) },

  // --- Membership: members of the inbox decide, not admins as such. Each cell gets its own newcomer.
  {
    route: '/api/review/members/approve',
    request: async () => ({ json: approveBody(inbox1, await enrolInvitee('Pat Pending', inbox1.id)) }),
    expect: membersOfInbox1(200),
  },
  // Inbox 2's only member is B: the admin may invite people to it, but not let them in.
  {
    route: '/api/review/members/approve',
    variant: 'into inbox 2',
    request: async () => ({ json: approveBody(inbox2, await enrolInvitee('Quinn Pending', inbox2.id)) }),
    expect: membersOfInbox2(200),
  },
  {
    route: '/api/review/members/decline',
    request: async () => ({ json: { inboxId: inbox1.id, reviewerId: (await enrolInvitee('Dee Declined', inbox1.id)).id } }),
    expect: membersOfInbox1(200),
  },
  {
    route: '/api/review/reviewers/remove',
    request: async () => ({ json: { reviewerId: (await enrolInvitee('Rex Removed', inbox1.id)).id } }),
    expect: adminsOnly(200),
  },
  {
    route: '/api/review/rotate',
    request: async () => ({ json: await rotationBody(inbox1) }),
    expect: membersOfInbox1(201),
    after: (_who, res) => {
      if (res.status === 201) inbox1.versions.push(pendingRotation!) // later rows seal to the new key
    },
  },

  {
    route: '/api/review/rotate',
    variant: 'inbox 2',
    request: async () => ({ json: await rotationBody(inbox2) }),
    expect: membersOfInbox2(201),
    after: (_who, res) => {
      if (res.status === 201) inbox2.versions.push(pendingRotation!)
    },
  },

  {
    // Both inboxes were logged when they were made: a member is told so, and nothing changes.
    route: '/api/review/key-log',
    request: () => ({ json: { inboxId: inbox1.id, entries: logKey({ identity: inbox1.identity, encryption: inbox1.versions[0], keyVersion: 1 }) } }),
    expect: membersOfInbox1(409),
  },

  // --- A reviewer's own passkeys and recovery.
  { route: '/api/review/passkeys/options', writes: false, request: () => ({ json: {} }), expect: anyReviewer(200) },
  {
    route: '/api/review/passkeys/add',
    // Strangers send a ceremony opened in the admin's session: the session check refuses first.
    request: async (who) => ({ json: await newPasskeyBody(isReviewer(who) ? reviewers()[who] : admin) }),
    expect: anyReviewer(201),
  },
  {
    route: '/api/review/passkeys/add',
    variant: 'answering a ceremony opened in the admin’s session',
    request: async () => ({ json: await newPasskeyBody(admin) }),
    expect: reviewersOnly({ b: 400, a: 400, admin: 201 }),
  },
  {
    route: '/api/review/passkeys/remove',
    variant: 'the admin’s spare passkey',
    request: async () => {
      const spare = ok(await asAdmin('/api/review/passkeys/add', await newPasskeyBody(admin)), 'spare passkey')
      return { json: { id: spare.body.id } }
    },
    expect: reviewersOnly({ b: 404, a: 404, admin: 200 }),
  },
  { route: '/api/review/recover/options', writes: false, request: () => ({ json: { lookupId: adminRecoveryLookup } }), expect: everyone(200) },
  {
    route: '/api/review/recover/complete',
    variant: 'the admin’s recovery key',
    request: async (who) => {
      const found = ok(await call('POST', '/api/review/recover/options', { json: { lookupId: adminRecoveryLookup } }), 'recover options')
      // Only the admin holds R.sk and can open the sealed challenge; anyone else can only guess.
      const answer = who === 'admin' ? toB64(openSealedSecret(found.body.challenge, admin.key)) : toB64(randomBytes(32))
      const { code: _code, ...recovery } = await newRecoveryKey(admin.key.privateKey)
      // The admin's call succeeds and replaces the recovery key; later rows look up the new one.
      if (who === 'admin') adminRecoveryLookup = recovery.recoveryLookup
      return {
        json: {
          ceremonyId: found.body.ceremonyId,
          answer,
          registration: softPasskey(server.url).register(found.body.options),
          keyWrap: wrapSecret(admin.key.privateKey, wrapKeyFromPrf(randomBytes(32))),
          unlock: 'prf',
          ...recovery,
        },
      }
    },
    expect: { ...everyone(401), admin: 201 },
  },

  // --- Inboxes: creating and adopting are for admins. adopt/challenge must run before adopt.
  {
    route: '/api/review/inboxes',
    request: (who) => {
      const keys = newInboxKeys(1)
      const to = (isReviewer(who) ? reviewers()[who] : admin).key.publicKey
      return {
        json: {
          name: `Made by ${who}`,
          description: '',
          key: publishKey(keys),
          log: logKey(keys),
          boxSkWrap: sealSecretTo(keys.encryption.privateKey, to),
          signSkWrap: sealSecretTo(keys.identity.privateKey, to),
        },
      }
    },
    expect: adminsOnly(201),
  },
  { route: '/api/review/adopt/challenge', writes: false, request: () => ({ json: { inboxId: offline.id } }), expect: adminsOnly(200) },
  {
    route: '/api/review/adopt',
    // Only an admin can open the ceremony, so everyone answers one the admin opened.
    request: async () => {
      const c = ok(await asAdmin('/api/review/adopt/challenge', { inboxId: offline.id }), 'adopt challenge')
      const statement = adoptionStatement(fromB64(c.body.challenge), offline.id, c.body.reviewerId)
      return {
        json: {
          ceremonyId: c.body.ceremonyId,
          signature: toB64(sign('adopt', statement, offline.keys.identity.privateKey)),
          wraps: [
            {
              keyVersion: 1,
              boxSkWrap: sealSecretTo(offline.keys.encryption.privateKey, admin.key.publicKey),
              signSkWrap: sealSecretTo(offline.keys.identity.privateKey, admin.key.publicKey),
            },
          ],
        },
      }
    },
    expect: adminsOnly(201),
  },

  // --- Pins of inbox identities: a member's own, made with their reviewer key, written once.
  { route: '/api/review/pins', request: (who) => ({ json: pinBody(who, inbox1.identity.publicKey) }), expect: membersOfInbox1(201) },
  {
    route: '/api/review/pins',
    variant: 'another identity for an inbox already pinned',
    request: (who) => ({ json: pinBody(who, newInboxKeys(1).identity.publicKey) }),
    expect: membersOfInbox1(409),
  },

  // --- Triage: members of the report's inbox only, on every call. Listing is audited (the browser
  // opens every report listed), so it writes like opening does.
  {
    route: '/api/review/triage/list',
    variant: 'inbox 1',
    request: () => ({ json: { inboxId: inbox1.id } }),
    expect: membersOfInbox1({ status: 200, check: (c) => expect(c.res.body.reports.map((r: any) => r.id)).toContain(X.reportId) }),
  },
  {
    route: '/api/review/triage/list',
    variant: 'inbox 2',
    request: () => ({ json: { inboxId: inbox2.id } }),
    expect: membersOfInbox2({ status: 200, check: (c) => expect(c.res.body.reports.map((r: any) => r.id)).toEqual([Z.reportId]) }),
  },
  {
    route: '/api/review/triage/list',
    variant: 'every inbox of mine',
    request: () => ({ json: {} }),
    expect: anyReviewer({
      status: 200,
      check: (c) => {
        const ids = c.res.body.reports.map((r: any) => r.id)
        const inboxes = c.res.body.inboxes.map((i: any) => i.id)
        if (c.who === 'reviewerB') expect([ids, inboxes]).toEqual([[Z.reportId], [inbox2.id]])
        else expect([ids.includes(Z.reportId), inboxes.includes(inbox2.id), ids.includes(X.reportId)]).toEqual([false, false, true])
      },
    }),
  },
  { route: '/api/review/triage/open', variant: 'report X, inbox 1', request: () => ({ json: { reportId: X.reportId } }), expect: membersOfInbox1(200) },
  { route: '/api/review/triage/open', variant: 'report Z, inbox 2', request: () => ({ json: { reportId: Z.reportId } }), expect: membersOfInbox2(200) },
  { route: '/api/review/triage/reply', variant: 'to X, inbox 1', request: () => ({ json: reply(X.reportId, X, inbox1) }), expect: membersOfInbox1(200) },
  { route: '/api/review/triage/reply', variant: 'to Z, inbox 2', request: () => ({ json: reply(Z.reportId, Z, inbox2) }), expect: membersOfInbox2(200) },
  {
    route: '/api/review/triage/note',
    request: () => ({
      json: { reportId: X.reportId, keyVersion: inbox1.versions.length, envelope: sealNote({ text: 'Internal', by: 'someone' }, current(inbox1)) },
    }),
    expect: membersOfInbox1(200),
  },
  {
    route: '/api/review/triage/status',
    variant: 'a fresh inbox 1 report to acknowledged',
    request: async () => ({ json: { reportId: (await fileReport(inbox1)).reportId, to: 'acknowledged' } }),
    expect: membersOfInbox1(200),
  },
  {
    route: '/api/review/triage/assign',
    variant: 'X to reviewer A',
    request: () => ({ json: { reportId: X.reportId, assigneeId: reviewerA.id } }),
    expect: membersOfInbox1(200),
  },
  {
    route: '/api/review/triage/assign',
    variant: 'X to reviewer B, not a member',
    request: () => ({ json: { reportId: X.reportId, assigneeId: reviewerB.id } }),
    expect: reviewersOnly({ b: 403, a: 400, admin: 400 }),
  },
  { route: '/api/review/triage/export', request: () => ({ json: { reportId: X.reportId } }), expect: membersOfInbox1(200) },
  {
    route: '/api/review/triage/withdrawal',
    variant: 'declining a fresh report’s request',
    request: async () => {
      const r = await fileReport(inbox1)
      ok(await call('POST', '/api/reporter/withdraw', { json: { confirm: true } }, { token: r.token }), 'withdraw')
      return { json: { reportId: r.reportId, decision: 'decline' } }
    },
    expect: membersOfInbox1(200),
  },
  { route: '/api/review/triage/retention', variant: 'inbox 1', request: () => ({ json: { inboxId: inbox1.id, days: 400 } }), expect: adminsOnly(200) },
  // Retention is policy, not casework: an admin sets it for an inbox they cannot read, and B, its
  // only member, cannot.
  { route: '/api/review/triage/retention', variant: 'inbox 2', request: () => ({ json: { inboxId: inbox2.id, days: 400 } }), expect: adminsOnly(200) },
  // A reviewer's own email digest: there is no way to name anyone else's (SMTP is configured above).
  { route: '/api/review/digest', request: (who) => ({ json: { email: `${who}@example.org`, every: 'daily' } }), expect: anyReviewer(200) },
  // Deleting for good, for admins who are members (the server cannot tell an unreadable report
  // from any other, so the route is an admin power in general). Each cell gets its own victim.
  {
    route: '/api/review/triage/delete-report',
    request: async () => ({ json: { reportId: (await fileReport(inbox1)).reportId, reason: 'junk' } }),
    expect: adminsOnly({
      status: 200,
      check: (c) => expect(added(c, 'audit_log').map((e) => [e.action, JSON.parse(e.detail).reason])).toEqual([['report.delete', 'junk']]),
    }),
  },
  {
    route: '/api/review/triage/delete-report',
    variant: 'a report in inbox 2',
    request: async () => ({ json: { reportId: (await fileReport(inbox2)).reportId, reason: 'unreadable' } }),
    expect: reviewersOnly({ b: 403, a: 403, admin: 403 }),
  },
  {
    route: '/api/review/triage/delete-message',
    request: async () => ({ json: { reportId: X.reportId, seq: await freshMessage(X, inbox1), reason: 'unreadable' } }),
    expect: adminsOnly({ status: 200, check: (c) => expect(added(c, 'audit_log').map((e) => e.action)).toEqual(['message.delete']) }),
  },
  {
    route: '/api/review/triage/delete-message',
    variant: 'a message in inbox 2',
    request: async () => ({ json: { reportId: Z.reportId, seq: await freshMessage(Z, inbox2), reason: 'unreadable' } }),
    expect: reviewersOnly({ b: 403, a: 403, admin: 403 }),
  },
  // Later triage routes (more case actions…) go here, usually as membersOfInbox1(200)
  // with a request naming X (or a fresh report when the action can only happen once).

  // --- The reporter's own self-note: only the signed-in report's row changes. Each reporter reseals
  // their own note, so the rows after this one still see an honest thread.
  {
    route: '/api/reporter/self-note',
    request: (who) => ({
      json: { selfNote: who === 'reporterX' || who === 'reporterY' ? resealedNote(who === 'reporterX' ? X : Y) : toB64(randomBytes(SELF_NOTE_SEALED_BYTES)) },
    }),
    expect: reporterOwn({ x: { status: 200, check: onlyOwnReport('reports') }, y: { status: 200, check: onlyOwnReport('reports') } }),
  },

  // --- The reporter's withdrawal request: own report only. After this, X and Y are "withdrawal requested".
  {
    route: '/api/reporter/withdraw',
    request: () => ({ json: { confirm: true } }),
    expect: reporterOwn({ x: { status: 200, check: onlyOwnReport('reports') }, y: { status: 200, check: onlyOwnReport('reports') } }),
  },

  // --- Evidence files. Starting an upload is open (with a proof of work); writing to it needs the
  // capability its starter got; reading an attached file needs the report's reporter or a member.
  { route: '/api/files', request: () => ({ json: { paddedSize: 1024 } }), expect: everyone(201) },
  {
    route: '/api/files/:id',
    variant: 'an upload X’s browser started',
    request: async (who) => {
      const up = await startUpload()
      // X sends the upload's token; everyone else has only their own cookie or reporter token.
      return { path: `/api/files/${up.id}?offset=0`, bytes: randomBytes(1024), ...(who === 'reporterX' ? { auth: { token: up.token } } : {}) }
    },
    expect: { ...everyone(404), reporterX: 200 },
  },
  {
    route: '/api/files/:id',
    variant: 'a file attached to X’s report (inbox 1)',
    method: 'GET',
    url: () => `/api/files/${blobs.x}`,
    expect: { anonymous: 401, reporterX: 200, reporterY: 404, reviewerB: 404, reviewerA: 200, admin: 200 },
  },
  {
    route: '/api/files/:id',
    variant: 'a file attached to Z’s report (inbox 2)',
    method: 'GET',
    url: () => `/api/files/${blobs.z}`,
    expect: { anonymous: 401, reporterX: 404, reporterY: 404, reviewerB: 200, reviewerA: 404, admin: 404 },
  },

  // --- Plain HTML forms (no JavaScript). On /check the receipt IS the identity: reporters post
  // their own, everyone else a well-formed code that belongs to no report.
  {
    route: '/report',
    request: () => ({
      form: [
        ['intent', 'send'],
        ['inboxId', inbox1.id],
        ['categories', 'racism'],
        ['whatHappened', 'Seen without JS'],
        ['role', 'witness'],
        ['receipt', formatReceipt(newReceipt())],
      ],
    }),
    // The receipt is shown at its own address (POST-redirect-GET), never in it.
    expect: everyone({ status: 303, stored: 'changed', check: (c) => expect(c.res.location).toMatch(/^\/report\?shown=[A-Za-z0-9_-]{22}$/) }),
  },
  { route: '/check', variant: 'open', writes: false, request: (who) => ({ form: checkForm(who, 'open') }), expect: checkExpect(false) },
  {
    route: '/check',
    variant: 'follow-up',
    request: (who) => ({ form: [...checkForm(who, 'followup'), ['message', 'Sent without JS']] }),
    expect: checkExpect(true, 'messages'),
  },
  {
    route: '/check',
    variant: 'withdraw',
    request: async (who) => {
      // X and Y asked already (the row above); a member declines first, so asking again is a change.
      const own = reporterOf(who)
      if (own) ok(await asAdmin('/api/review/triage/withdrawal', { reportId: own.reportId, decision: 'decline' }), 'decline withdrawal')
      return { form: [...checkForm(who, 'withdraw'), ['confirm', 'yes']] }
    },
    expect: checkExpect(true, 'reports'),
  },
  {
    // Without JavaScript a file comes through the thread's code, and only when a verified message of
    // that thread names it. X's blob here was attached by a follow-up that does not name it, so no
    // one gets it; the download itself is tested in uploads-nojs and evidence-reporter.
    route: '/check/download',
    request: (who) => ({ form: [...checkForm(who, 'download'), ['file', blobs.x]] }),
    expect: everyone({ status: 404, stored: 'none' }),
  },
  {
    route: '/review/sign-out',
    request: () => ({ form: [] }),
    // Ends only the caller's own session (audited); without one there is nothing to end.
    expect: {
      ...everyone({ status: 302, stored: 'none' }),
      reviewerB: { status: 302, stored: 'changed' },
      reviewerA: { status: 302, stored: 'changed' },
      admin: { status: 302, stored: 'changed' },
    },
  },

  // --- Pages (GET). Reviewer pages are shells whose data comes through the routes above, so a
  // signed-in non-member gets the page but nothing of the inbox in it (or a 404, below).
  ...['/', '/report', '/check', '/safer', '/review/sign-in', '/review/recover', '/review/invite', '/review/setup'].map((route): Row => ({
    route,
    method: 'GET',
    expect: everyone(200),
  })),
  { route: '/exit', method: 'GET', expect: everyone(303) },
  { route: '/api/pow', method: 'GET', request: () => ({ path: '/api/pow?purpose=report' }), expect: everyone(200) },
  { route: '/api/key-log', method: 'GET', expect: everyone(200) },
  { route: '/review', method: 'GET', expect: signedInPage(nothingOfInbox1) },
  { route: '/review/settings', method: 'GET', expect: signedInPage() },
  {
    route: '/review/members',
    method: 'GET',
    expect: {
      ...signedInPage(nothingOfInbox1),
      // A plain member sees requests for their own inbox, not the admin's list of every reviewer.
      reviewerA: { status: 200, check: (c) => expect(c.res.text).not.toContain(reviewerB.name) },
    },
  },
  { route: '/review/inboxes', method: 'GET', expect: signedInPage(nothingOfInbox1) },
  { route: '/review/reports', method: 'GET', expect: signedInPage(nothingOfInbox1) },
  // An inbox's or report's page is for its members: anyone else signed in gets the same 404 as
  // for one that does not exist.
  {
    route: '/review/inbox/:id',
    method: 'GET',
    url: () => `/review/inbox/${inbox1.id}`,
    expect: { ...signedInPage(), reviewerB: { status: 404, check: (c) => expect(c.res.text).not.toContain(INBOX1) } },
  },
  {
    route: '/review/report/:id',
    method: 'GET',
    url: () => `/review/report/${X.reportId}`,
    expect: {
      ...signedInPage(),
      reviewerB: {
        status: 404,
        check: (c) => {
          expect(c.res.text).not.toContain(INBOX1)
          expect(c.res.text).not.toContain(selfNoteOf(X))
        },
      },
    },
  },
]

let setupToken = ''
let selfNotes: Record<string, string> = {}
const resealedNote = (r: Reporter) => {
  const { noteKey } = deriveReporterKeys(normaliseReceipt(r.receipt))
  return sealSelfNote(openSelfNote(selfNoteOf(r)!, noteKey), noteKey)
}
const selfNoteOf = (r: Reporter) => selfNotes[r.reportId]

/** The /check form as `who` would post it: a reporter's own receipt, or a valid code of no report. */
let strangerReceipt = ''
const checkForm = (who: Who, intent: string): Array<[string, string]> => [
  ['intent', intent],
  ['receipt', who === 'reporterX' ? X.receipt : who === 'reporterY' ? Y.receipt : (strangerReceipt ||= formatReceipt(newReceipt()))],
]
function checkExpect(writes: boolean, table: 'messages' | 'reports' = 'messages'): Expect {
  const stranger: Outcome = { status: 200, stored: 'none', check: (c) => expect(visibleText(c.res.text)).toContain('No report matches this receipt code') }
  const owner: Outcome = {
    status: 200,
    stored: writes ? 'changed' : 'none',
    check: (c) => {
      expect(visibleText(c.res.text)).toContain('Your report')
      if (writes) onlyOwnReport(table)(c)
    },
  }
  return { ...everyone(stranger), reporterX: owner, reporterY: owner }
}

// ---------------------------------------------------------------------------------------------

beforeAll(async () => {
  await ready()
  const dataDir = tempDataDir('candour-authz-')
  const created = createInbox(dataDir, 'Offline Inbox') // for the adoption rows
  // SMTP settings only so that digests can be switched on; nothing is sent in this test's lifetime.
  // Every identity signs in as reporter X many times: lift the per-code and per-report budgets.
  server = await startServer({
    dataDir,
    env: { SMTP_URL: 'smtp://user:secret@127.0.0.1:9', DIGEST_CHECK_SECONDS: '86400', LOGIN_ATTEMPTS_PER_HOUR: '10000', REPORTER_SESSIONS_PER_REPORT: '100' },
  })
  offline = { id: created.id, keys: await loadInboxKeys(created.keyFile) }

  // The first admin, through the setup link; a few more setup ceremonies are opened first and
  // kept, to be answered once setup is done (the setup/complete row).
  setupToken = new URL(await setupLink(server)).hash.slice(1)
  for (let i = 0; i < WHO.length; i++) {
    const o = ok(await call('POST', '/api/review/setup/options', { json: { token: setupToken, displayName: 'Late Larry' } }), 'setup options')
    staleSetups.push(JSON.stringify(o.body))
  }
  const opts = ok(await call('POST', '/api/review/setup/options', { json: { token: setupToken, displayName: 'Ada Admin' } }), 'setup options')
  const prepared = await prepareFirstAdmin({ kind: 'prf', prf: randomBytes(32) }, { name: INBOX1, description: '' })
  const passkey = softPasskey(server.url)
  const done = ok(
    await call('POST', '/api/review/setup/complete', {
      json: { ceremonyId: opts.body.ceremonyId, registration: passkey.register(opts.body.options), reviewer: prepared.reviewer, inbox: prepared.inbox },
    }),
    'setup complete',
  )
  const adminKey = { publicKey: fromB64(prepared.reviewer.boxPk), privateKey: unwrapSecret(prepared.reviewer.keyWrap, prepared.wrapKey) }
  admin = { id: done.body.reviewer.id, name: 'Ada Admin', key: adminKey, passkey, cookie: cookieOf(done) }
  adminRecoveryLookup = prepared.reviewer.recoveryLookup
  inbox1 = {
    id: done.body.inboxes[0].id,
    identity: { publicKey: fromB64(prepared.inbox.key.signPk), privateKey: openSealedSecret(prepared.inbox.signSkWrap, adminKey) },
    versions: [{ publicKey: fromB64(prepared.inbox.key.boxPk), privateKey: openSealedSecret(prepared.inbox.boxSkWrap, adminKey) }],
  }

  // Inbox 2, made by the admin's browser; reviewer B approved into it by the admin.
  const keys2 = newInboxKeys(1)
  const made = ok(
    await asAdmin('/api/review/inboxes', {
      name: INBOX2,
      description: 'For reports about PSD',
      key: publishKey(keys2),
      log: logKey(keys2),
      boxSkWrap: sealSecretTo(keys2.encryption.privateKey, adminKey.publicKey),
      signSkWrap: sealSecretTo(keys2.identity.privateKey, adminKey.publicKey),
    }),
    'create inbox 2',
  )
  inbox2 = { id: made.body.inboxId, identity: keys2.identity, versions: [keys2.encryption] }

  reviewerA = await enrolInvitee('Alex Member', inbox1.id)
  ok(await asAdmin('/api/review/members/approve', approveBody(inbox1, reviewerA)), 'approve A')
  reviewerB = await enrolInvitee('Blair Elsewhere', inbox2.id)
  ok(await asAdmin('/api/review/members/approve', approveBody(inbox2, reviewerB)), 'approve B')
  // No route lets a member leave an inbox yet; the admin steps out of inbox 2 here so that B is
  // its only member (an inbox for reports about PSD that PSD's admin cannot read).
  await sqlAll(server.dbFile, 'DELETE FROM inbox_key_wraps WHERE inbox_id = ? AND reviewer_id = ?', [inbox2.id, admin.id])
  await sqlAll(server.dbFile, 'DELETE FROM inbox_members WHERE inbox_id = ? AND reviewer_id = ?', [inbox2.id, admin.id])
  expect(await sqlAll(server.dbFile, 'SELECT reviewer_id FROM inbox_members WHERE inbox_id = ?', [inbox2.id])).toEqual([{ reviewer_id: reviewerB.id }])

  // Reporters X and Y in inbox 1, Z in inbox 2, each signed in by the JS challenge/login flow.
  X = await fileReport(inbox1)
  Y = await fileReport(inbox1)
  Z = await fileReport(inbox2)
  blobs.x = await attachedBlob(X, inbox1)
  blobs.z = await attachedBlob(Z, inbox2)
  selfNotes = Object.fromEntries(
    (await sqlAll<{ id: string; self_note: string }>(server.dbFile, 'SELECT id, self_note FROM reports')).map((r) => [r.id, r.self_note]),
  )
}, 120_000)

afterAll(async () => {
  await server?.stop()
  if (server) fs.rmSync(server.dataDir, { recursive: true, force: true })
})

/** One call as one identity: what came back against what was expected, and what was stored. */
async function runCell(row: Row, who: Who): Promise<string[]> {
  const want = typeof row.expect[who] === 'number' ? { status: row.expect[who] as number } : (row.expect[who] as Exclude<Outcome, number>)
  const method = row.method ?? 'POST'
  const req = row.request ? await row.request(who) : {}
  const before = await dump()
  const res = await call(method, req.path ?? row.url?.() ?? row.route, req, req.auth ?? authOf(who))
  const after = await dump()
  const problems: string[] = []
  if (res.status !== want.status) problems.push(`${who}: got ${res.status}, expected ${want.status}: ${res.text.replace(/\s+/g, ' ').slice(0, 200)}`)
  const writes = row.writes ?? method === 'POST'
  const stored = want.stored ?? (want.status >= 300 || !writes ? 'none' : 'changed')
  const changed = changedTables(before, after)
  if (stored === 'none' && changed.length) problems.push(`${who}: ${res.status} but stored changes in ${changed.join(', ')}`)
  if (stored === 'changed' && !changed.length) problems.push(`${who}: ${res.status} but nothing was stored`)
  if (res.status === want.status && want.check) {
    try {
      await want.check({ who, res, before, after })
    } catch (err) {
      problems.push(`${who}: ${(err as Error).message.split('\n')[0]}`)
    }
  }
  // A call that set a session cookie (sign-in, enrolment, recovery, sign-out) ended the caller's
  // own session: sign that reviewer in again so the next cells run as them.
  if (isReviewer(who) && res.setCookie) await signIn(reviewers()[who])
  await row.after?.(who, res)
  return problems
}

describe('authorisation matrix: every route as every identity', () => {
  it('every route has a row (tests/fuzz/routes.ts and every app/routes/api.* file)', () => {
    const covered = new Set(ROWS.map((r) => r.route))
    const files = fs
      .readdirSync(path.join(ROOT, 'app/routes'))
      .filter((f) => f.startsWith('api.'))
      .map(
        (f) =>
          `/${f
            .replace(/\.tsx?$/, '')
            .split('.')
            .map((seg) => seg.replace(/^\$/, ':').replace(/_$/, ''))
            .join('/')}`,
      )
    const missing = [...new Set([...JSON_ROUTES, ...FORM_ROUTES, ...files])].filter((r) => !covered.has(r))
    expect(missing, 'add a row to ROWS in tests/integration/authz-matrix.test.ts').toEqual([])
  })

  for (const row of ROWS)
    it(`${row.method ?? 'POST'} ${row.route}${row.variant ? ` (${row.variant})` : ''}`, async () => {
      const problems: string[] = []
      for (const who of WHO) problems.push(...(await runCell(row, who)))
      expect(problems).toEqual([])
    })

  it('answered nothing with a 5xx and logged no server error', () => {
    expect(server.output()).not.toMatch(/"level":(50|60|"error"|"fatal")[,}]/)
  })
})
