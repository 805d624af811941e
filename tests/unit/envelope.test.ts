import { describe, it, expect, beforeAll } from 'vitest'
import {
  ready,
  b64Length,
  toB64,
  fromB64,
  newBoxKeyPair,
  deriveReporterKeys,
  newReceipt,
  NONCE_BYTES,
  TAG_BYTES,
  INBOX_WRAP_BYTES,
  REPORTER_WRAP_BYTES,
} from '../../crypto/index'
import { utf8, fromUtf8 } from '../../crypto/encoding'
import { sealEnvelope, openEnvelope } from '../../crypto/envelope'
import { bucketSize } from '../../crypto/padding'
import type { Envelope, KeyPair, ReporterKeys } from '../../crypto/index'

let inbox: KeyPair
let otherInbox: KeyPair
let reporter: ReporterKeys
let otherReporter: ReporterKeys

beforeAll(async () => {
  await ready()
  inbox = newBoxKeyPair()
  otherInbox = newBoxKeyPair()
  reporter = deriveReporterKeys(newReceipt())
  otherReporter = deriveReporterKeys(newReceipt())
})

/** Returns a copy of a base64url field with one byte XOR-ed. */
function flip(field: string, at: number, mask = 0x01): string {
  const b = fromB64(field)
  b[at < 0 ? b.length + at : at] ^= mask
  return toB64(b)
}

const text = (bytes: Uint8Array) => fromUtf8(bytes)

describe('round trips', () => {
  it('inbox opens an envelope with a self wrap, and so does the reporter', () => {
    const env = sealEnvelope(utf8('first report'), inbox.publicKey, { kind: 'self', noteKey: reporter.noteKey })
    expect(env.v).toBe(1)
    expect(text(openEnvelope(env, { as: 'inbox', inbox }))).toBe('first report')
    expect(text(openEnvelope(env, { as: 'reporter-self', noteKey: reporter.noteKey }))).toBe('first report')
  })

  it('inbox and reporter open a reply', () => {
    const env = sealEnvelope(utf8('a reply'), inbox.publicKey, {
      kind: 'reply',
      reporterBoxPk: reporter.box.publicKey,
      inboxSk: inbox.privateKey,
    })
    expect(text(openEnvelope(env, { as: 'inbox', inbox }))).toBe('a reply')
    expect(text(openEnvelope(env, { as: 'reporter-reply', reporterBoxSk: reporter.box.privateKey, inboxPk: inbox.publicKey }))).toBe('a reply')
  })

  it('round-trips empty, unicode and bucket-boundary bodies', () => {
    for (const n of [0, 1, 1023, 1024, 5000]) {
      const plain = new Uint8Array(n).map((_, i) => (i * 7 + 3) & 0xff)
      const env = sealEnvelope(plain, inbox.publicKey, { kind: 'self', noteKey: reporter.noteKey })
      expect(Buffer.from(openEnvelope(env, { as: 'inbox', inbox })).equals(Buffer.from(plain))).toBe(true)
      expect(Buffer.from(openEnvelope(env, { as: 'reporter-self', noteKey: reporter.noteKey })).equals(Buffer.from(plain))).toBe(true)
    }
    const u = 'Ünïcødé — 報告 🚓'
    const env = sealEnvelope(utf8(u), inbox.publicKey, { kind: 'none' })
    expect(text(openEnvelope(env, { as: 'inbox', inbox }))).toBe(u)
  })

  it('uses a fresh key and nonce every time', () => {
    const a = sealEnvelope(utf8('same'), inbox.publicKey, { kind: 'self', noteKey: reporter.noteKey })
    const b = sealEnvelope(utf8('same'), inbox.publicKey, { kind: 'self', noteKey: reporter.noteKey })
    expect(a.body).not.toBe(b.body)
    expect(a.inbox).not.toBe(b.inbox)
    expect(a.reporter).not.toBe(b.reporter)
  })
})

describe('sizes', () => {
  it('exports the wrap constants', () => {
    expect(NONCE_BYTES).toBe(24)
    expect(TAG_BYTES).toBe(16)
    expect(INBOX_WRAP_BYTES).toBe(80)
    expect(REPORTER_WRAP_BYTES).toBe(72)
  })

  it('inbox wrap is 80 bytes, reporter wrap 72, body 24 + bucket + 16', () => {
    for (const n of [0, 100, 1023, 1024, 3000, 70_000]) {
      const plain = new Uint8Array(n)
      const self = sealEnvelope(plain, inbox.publicKey, { kind: 'self', noteKey: reporter.noteKey })
      const reply = sealEnvelope(plain, inbox.publicKey, {
        kind: 'reply',
        reporterBoxPk: reporter.box.publicKey,
        inboxSk: inbox.privateKey,
      })
      const none = sealEnvelope(plain, inbox.publicKey, { kind: 'none' })
      for (const env of [self, reply, none]) {
        expect(b64Length(env.inbox)).toBe(80)
        expect(b64Length(env.body)).toBe(24 + bucketSize(n) + 16)
      }
      expect(b64Length(self.reporter!)).toBe(72)
      expect(b64Length(reply.reporter!)).toBe(72)
    }
  })

  it('bodies of different lengths in one bucket are the same size', () => {
    const a = sealEnvelope(utf8('x'), inbox.publicKey, { kind: 'none' })
    const b = sealEnvelope(new Uint8Array(1000), inbox.publicKey, { kind: 'none' })
    expect(a.body.length).toBe(b.body.length)
  })
})

describe('tampering and wrong keys', () => {
  let self: Envelope
  let reply: Envelope
  beforeAll(() => {
    self = sealEnvelope(utf8('secret'), inbox.publicKey, { kind: 'self', noteKey: reporter.noteKey })
    reply = sealEnvelope(utf8('secret reply'), inbox.publicKey, {
      kind: 'reply',
      reporterBoxPk: reporter.box.publicKey,
      inboxSk: inbox.privateKey,
    })
  })
  const asReporterReply = () => ({ as: 'reporter-reply', reporterBoxSk: reporter.box.privateKey, inboxPk: inbox.publicKey }) as const

  it('a flipped byte anywhere in the body is rejected', () => {
    for (const at of [0, 23, 24, 100, -17, -1]) {
      const env = { ...self, body: flip(self.body, at) }
      expect(() => openEnvelope(env, { as: 'inbox', inbox })).toThrow()
      expect(() => openEnvelope(env, { as: 'reporter-self', noteKey: reporter.noteKey })).toThrow()
    }
  })

  it('a flipped byte in the inbox wrap is rejected', () => {
    for (const at of [0, 31, 32, 47, 48, 79]) {
      expect(() => openEnvelope({ ...self, inbox: flip(self.inbox, at) }, { as: 'inbox', inbox })).toThrow()
    }
  })

  it('a flipped byte in the reporter wrap is rejected', () => {
    for (const at of [0, 23, 24, 40, 71]) {
      const s2 = { ...self, reporter: flip(self.reporter!, at) }
      expect(() => openEnvelope(s2, { as: 'reporter-self', noteKey: reporter.noteKey })).toThrow()
      const r2 = { ...reply, reporter: flip(reply.reporter!, at) }
      expect(() => openEnvelope(r2, asReporterReply())).toThrow()
    }
  })

  it('a truncated wrap or body is rejected', () => {
    expect(() => openEnvelope({ ...self, body: self.body.slice(0, 40) }, { as: 'inbox', inbox })).toThrow()
    expect(() => openEnvelope({ ...self, inbox: self.inbox.slice(0, 40) }, { as: 'inbox', inbox })).toThrow()
    expect(() => openEnvelope({ ...self, reporter: self.reporter!.slice(0, 20) }, { as: 'reporter-self', noteKey: reporter.noteKey })).toThrow()
  })

  it('a body from another envelope does not open with this key', () => {
    const other = sealEnvelope(utf8('other'), inbox.publicKey, { kind: 'none' })
    expect(() => openEnvelope({ ...self, body: other.body }, { as: 'inbox', inbox })).toThrow()
  })

  it('wrong keys are rejected', () => {
    expect(() => openEnvelope(self, { as: 'inbox', inbox: otherInbox })).toThrow()
    expect(() => openEnvelope(self, { as: 'reporter-self', noteKey: otherReporter.noteKey })).toThrow()
    expect(() => openEnvelope(reply, { as: 'reporter-reply', reporterBoxSk: otherReporter.box.privateKey, inboxPk: inbox.publicKey })).toThrow()
    // a reply wrap checked against the wrong inbox key (sender authentication)
    expect(() => openEnvelope(reply, { as: 'reporter-reply', reporterBoxSk: reporter.box.privateKey, inboxPk: otherInbox.publicKey })).toThrow()
    // a self wrap is not a reply wrap and vice versa
    expect(() => openEnvelope(self, asReporterReply())).toThrow()
    expect(() => openEnvelope(reply, { as: 'reporter-self', noteKey: reporter.noteKey })).toThrow()
  })

  it('a reply forged with another inbox secret key is rejected by the reporter', () => {
    const forged = sealEnvelope(utf8('forged'), inbox.publicKey, {
      kind: 'reply',
      reporterBoxPk: reporter.box.publicKey,
      inboxSk: otherInbox.privateKey,
    })
    expect(() => openEnvelope(forged, asReporterReply())).toThrow()
  })
})

describe("kind 'none' (internal notes)", () => {
  it('has no reporter wrap and the reporter cannot open it', () => {
    const env = sealEnvelope(utf8('internal'), inbox.publicKey, { kind: 'none' })
    expect(env.reporter).toBeUndefined()
    expect('reporter' in env).toBe(false)
    expect(Object.keys(env).sort()).toEqual(['body', 'inbox', 'v'])
    expect(text(openEnvelope(env, { as: 'inbox', inbox }))).toBe('internal')
    expect(() => openEnvelope(env, { as: 'reporter-self', noteKey: reporter.noteKey })).toThrow(/no reporter wrap/)
    expect(() => openEnvelope(env, { as: 'reporter-reply', reporterBoxSk: reporter.box.privateKey, inboxPk: inbox.publicKey })).toThrow(/no reporter wrap/)
  })
})
