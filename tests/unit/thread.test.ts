import { describe, it, expect, beforeAll } from 'vitest'
import {
  ready,
  newReceipt,
  deriveReporterKeys,
  newInboxKeys,
  publishKey,
  verifyPublishedKey,
  sealReport,
  openReport,
  sealFollowup,
  sealReply,
  openMessage,
  sign,
  verify,
  b64Length,
  toB64,
  fromB64,
  SELF_NOTE_SEALED_BYTES,
} from '../../crypto/index'
import { utf8 } from '../../crypto/encoding'
import { sealSelfNote, openSelfNote } from '../../crypto/inbox'
import type { InboxKeys, PublishedKey, ReporterKeys, SealedReport } from '../../crypto/index'
import type { Target } from '../../crypto/thread'
import { UnreadableError } from '../../crypto/payloads'
import { rawSelfNote } from '../support/poison-corpus'

let inbox: InboxKeys
let published: PublishedKey
let target: Target
let receipt: string
let reporter: ReporterKeys
let other: ReporterKeys
let report: SealedReport
const answers = { what: 'Misconduct at the custody desk', when: '2024-05-01', details: 'Ünïcødé ✓' }

beforeAll(async () => {
  await ready()
  inbox = newInboxKeys(1)
  published = publishKey(inbox)
  target = { ...published, inboxId: 'inbox-north' }
  receipt = newReceipt()
  reporter = deriveReporterKeys(receipt)
  other = deriveReporterKeys(newReceipt())
  report = sealReport(answers, receipt, target)
})

const asInbox = () => ({ as: 'inbox', inbox: inbox.encryption }) as const
const asReporterSelf = (k = reporter) => ({ as: 'reporter-self', noteKey: k.noteKey }) as const
const asReporterReply = (k = reporter) => ({ as: 'reporter-reply', reporterBoxSk: k.box.privateKey, inboxPk: inbox.encryption.publicKey }) as const
const trust = () => ({ reporterSignPk: report.signPk, inboxSignPk: published.signPk })

describe('published inbox key', () => {
  it('verifies, with and without the right pin', () => {
    expect(published.keyVersion).toBe(1)
    expect(b64Length(published.boxPk)).toBe(32)
    expect(b64Length(published.signPk)).toBe(32)
    expect(b64Length(published.signature)).toBe(64)
    expect(verifyPublishedKey(published)).toBe(true)
    expect(verifyPublishedKey(published, published.signPk)).toBe(true)
  })

  it('a pinned signPk that differs gives false', () => {
    expect(verifyPublishedKey(published, publishKey(newInboxKeys(1)).signPk)).toBe(false)
  })

  it('rejects a tampered signature, a swapped boxPk, or a changed version', () => {
    const otherKey = publishKey(newInboxKeys(1))
    expect(verifyPublishedKey({ ...published, signature: flip(published.signature, 5) })).toBe(false)
    expect(verifyPublishedKey({ ...published, boxPk: otherKey.boxPk })).toBe(false)
    expect(verifyPublishedKey({ ...published, signPk: otherKey.signPk })).toBe(false)
    expect(verifyPublishedKey({ ...published, keyVersion: 2 })).toBe(false)
    expect(verifyPublishedKey({ ...published, signature: 'not base64!' })).toBe(false)
    expect(verifyPublishedKey({ ...published, signature: published.signature.slice(0, 20) })).toBe(false)
  })

  // The signed statement encodes keyVersion with setUint32, which wraps modulo 2^32 and truncates
  // fractions, so versions that were never signed verify as the signed one.
  it('rejects key versions that were never signed (no uint32 aliasing)', () => {
    for (const kv of [1 + 2 ** 32, 1.5, 1 - 2 ** 32]) {
      expect(verifyPublishedKey({ ...published, keyVersion: kv }), `keyVersion ${kv}`).toBe(false)
    }
  })

  it('does not pass a signature made for another purpose', () => {
    const statement = new Uint8Array([...fromB64(published.boxPk), 0, 0, 0, 1])
    const asReport = toB64(sign('report', statement, inbox.identity.privateKey))
    expect(verifyPublishedKey({ ...published, signature: asReport })).toBe(false)
  })
})

function flip(field: string, at: number): string {
  const b = fromB64(field)
  b[at] ^= 0x01
  return toB64(b)
}

describe('sealReport / openReport', () => {
  it('produces a SealedReport of opaque values', () => {
    expect(Object.keys(report).sort()).toEqual(['boxPk', 'envelope', 'inboxId', 'keyVersion', 'locator', 'reportId', 'selfNote', 'signPk'])
    expect(report.inboxId).toBe('inbox-north')
    expect(report.keyVersion).toBe(1)
    expect(report.locator).toBe(reporter.locator)
    expect(report.signPk).toBe(toB64(reporter.sign.publicKey))
    expect(report.boxPk).toBe(toB64(reporter.box.publicKey))
    expect(b64Length(report.locator)).toBe(32)
    expect(b64Length(report.selfNote)).toBe(SELF_NOTE_SEALED_BYTES)
    expect(report.envelope.v).toBe(1)
    expect(typeof report.envelope.body).toBe('string')
    expect(b64Length(report.envelope.inbox)).toBe(80)
    expect(b64Length(report.envelope.reporter!)).toBe(72)
    expect(JSON.stringify(report)).not.toContain('custody')
  })

  it('opens as the inbox, verified', () => {
    const opened = openReport(report.envelope, asInbox())
    expect(opened).toEqual({ answers, reporter: { signPk: report.signPk, boxPk: report.boxPk }, files: [], verified: true, reportId: report.reportId })
  })

  it('opens as the reporter, verified', () => {
    const opened = openReport(report.envelope, asReporterSelf())
    expect(opened.verified).toBe(true)
    expect(opened.answers).toEqual(answers)
  })

  it('cannot be opened by another receipt', () => {
    expect(() => openReport(report.envelope, asReporterSelf(other))).toThrow()
  })

  it('throws if the published key signature is bad', () => {
    const otherKey = publishKey(newInboxKeys(1))
    expect(() => sealReport(answers, receipt, { ...target, signature: flip(target.signature, 0) })).toThrow()
    expect(() => sealReport(answers, receipt, { ...target, boxPk: otherKey.boxPk })).toThrow()
    expect(() => sealReport(answers, receipt, { ...target, keyVersion: 2 })).toThrow()
  })

  it('the self-note names the inbox the report was sealed to', () => {
    expect(openSelfNote(report.selfNote, reporter.noteKey)).toEqual({
      inboxId: 'inbox-north',
      inboxSignPk: published.signPk,
      keyVersion: 1,
    })
  })
})

describe('self-note', () => {
  it('round-trips, and a wrong noteKey throws', () => {
    const note = { inboxId: 'abc', inboxSignPk: published.signPk, keyVersion: 3 }
    const sealed = sealSelfNote(note, reporter.noteKey)
    expect(b64Length(sealed)).toBe(SELF_NOTE_SEALED_BYTES)
    expect(openSelfNote(sealed, reporter.noteKey)).toEqual(note)
    expect(() => openSelfNote(sealed, other.noteKey)).toThrow()
    expect(() => openSelfNote(flip(sealed, 40), reporter.noteKey)).toThrow()
  })

  it('carries the heads this browser verified last, at their longest, in the same size', () => {
    const hash = toB64(new Uint8Array(32).fill(7))
    const longest = { inboxId: 'a'.repeat(64), inboxSignPk: published.signPk, keyVersion: 0xffffffff, logHead: hash, threadHead: { seq: 0xffffffff, hash } }
    const sealed = sealSelfNote(longest, reporter.noteKey)
    expect(b64Length(sealed)).toBe(SELF_NOTE_SEALED_BYTES)
    expect(openSelfNote(sealed, reporter.noteKey)).toEqual(longest)
  })

  it('refuses a head that is not 32 bytes', () => {
    const note = { inboxId: 'abc', inboxSignPk: published.signPk, keyVersion: 1, logHead: toB64(new Uint8Array(31)) }
    expect(() => openSelfNote(rawSelfNote(utf8(JSON.stringify(note)), reporter.noteKey), reporter.noteKey)).toThrow(UnreadableError)
  })

  it('a note sealed before the heads existed (padded to 256) still opens', () => {
    const note = { inboxId: 'abc', inboxSignPk: published.signPk, keyVersion: 2 }
    const v1 = rawSelfNote(utf8(JSON.stringify(note)), reporter.noteKey, 256)
    expect(b64Length(v1)).toBe(296)
    expect(openSelfNote(v1, reporter.noteKey)).toEqual(note)
  })

  it('hides the length of the inbox id', () => {
    const a = sealSelfNote({ inboxId: 'a', inboxSignPk: published.signPk, keyVersion: 1 }, reporter.noteKey)
    const b = sealSelfNote({ inboxId: 'a'.repeat(60), inboxSignPk: published.signPk, keyVersion: 1 }, reporter.noteKey)
    expect(a.length).toBe(b.length)
  })
})

describe('follow-ups', () => {
  it('the inbox reads a follow-up verified against the signPk from the first report', () => {
    const env = sealFollowup('more detail', reporter, published.boxPk, [], null)
    const first = openReport(report.envelope, asInbox())
    const msg = openMessage(env, asInbox(), { reporterSignPk: first.reporter.signPk, inboxSignPk: published.signPk })
    expect(msg).toEqual({ kind: 'followup', text: 'more detail', files: [], chain: null, verified: true })
  })

  it('the reporter rereads their own follow-up', () => {
    const env = sealFollowup('my words', reporter, published.boxPk, [], null)
    expect(openMessage(env, asReporterSelf(), trust())).toEqual({ kind: 'followup', text: 'my words', files: [], chain: null, verified: true })
  })

  it('a follow-up signed by a different receipt is not verified', () => {
    const env = sealFollowup('impostor', other, published.boxPk, [], null)
    const msg = openMessage(env, asInbox(), trust())
    expect(msg.kind).toBe('followup')
    expect(msg.verified).toBe(false)
    // and the real reporter cannot read it (it is wrapped for the other receipt)
    expect(() => openMessage(env, asReporterSelf(), trust())).toThrow()
  })
})

describe('replies', () => {
  it('the reporter reads a reply verified against the pinned inbox signPk', () => {
    const env = sealReply({ text: 'Thank you, we are looking into it', reviewer: 'PSD reviewer', chain: null }, inbox, report.boxPk)
    const note = openSelfNote(report.selfNote, reporter.noteKey)
    const msg = openMessage(env, asReporterReply(), { reporterSignPk: report.signPk, inboxSignPk: note.inboxSignPk })
    expect(msg).toEqual({ kind: 'reply', text: 'Thank you, we are looking into it', reviewer: 'PSD reviewer', files: [], chain: null, verified: true })
    expect(openMessage(env, asInbox(), trust())).toMatchObject({ kind: 'reply', verified: true })
  })

  it('a reply signed by another inbox identity is not verified', () => {
    const impostor = { encryption: inbox.encryption, identity: newInboxKeys(1).identity }
    const env = sealReply({ text: 'forged', reviewer: 'Mallory', chain: null }, impostor, report.boxPk)
    const msg = openMessage(env, asReporterReply(), trust())
    expect(msg.kind).toBe('reply')
    expect(msg.verified).toBe(false)
  })

  it('a reply from another inbox encryption key does not open for the reporter', () => {
    const env = sealReply({ text: 'x', reviewer: 'y', chain: null }, newInboxKeys(1), report.boxPk)
    expect(() => openMessage(env, asReporterReply(), trust())).toThrow()
  })

  it('a reply is not readable by another receipt', () => {
    const env = sealReply({ text: 'private', reviewer: 'r', chain: null }, inbox, report.boxPk)
    expect(() => openMessage(env, asReporterReply(other), trust())).toThrow()
  })
})

describe('purpose separation', () => {
  it("a signature made for 'followup' does not verify as 'reply'", () => {
    const m = utf8(JSON.stringify({ type: 'reply', text: 'hi' }))
    const sig = sign('followup', m, inbox.identity.privateKey)
    expect(verify('followup', m, sig, inbox.identity.publicKey)).toBe(true)
    expect(verify('reply', m, sig, inbox.identity.publicKey)).toBe(false)
    expect(verify('report', m, sig, inbox.identity.publicKey)).toBe(false)
    expect(verify('inbox-key', m, sig, inbox.identity.publicKey)).toBe(false)
  })

  it('verify is false (not a throw) for malformed signatures or keys', () => {
    const m = utf8('x')
    const sig = sign('reply', m, inbox.identity.privateKey)
    expect(verify('reply', m, sig.subarray(0, 10), inbox.identity.publicKey)).toBe(false)
    expect(verify('reply', m, sig, inbox.identity.publicKey.subarray(0, 10))).toBe(false)
    expect(verify('reply', utf8('y'), sig, inbox.identity.publicKey)).toBe(false)
  })
})

describe('file references', () => {
  const ref = { id: 'A'.repeat(22), name: 'chat.txt', type: 'text/plain', size: 12, key: 'k'.repeat(43) }
  it('travel signed inside a report, a follow-up and a reply', () => {
    const withFiles = sealReport(answers, newReceipt(), target, [ref])
    expect(openReport(withFiles.envelope, asInbox()).files).toEqual([ref])
    const env = sealFollowup('see attached', reporter, published.boxPk, [ref], null)
    expect(openMessage(env, asInbox(), trust()).files).toEqual([ref])
  })
  // Opening refuses them too, as the whole message (tests/unit/payloads.test.ts).
  it('a malformed reference is never sealed', () => {
    for (const bad of [
      { ...ref, id: '../../etc/passwd' },
      { ...ref, size: -1 },
      { ...ref, key: 'short' },
    ])
      expect(() => sealFollowup('see attached', reporter, published.boxPk, [bad], null)).toThrow(/cannot be sealed/)
  })
})
