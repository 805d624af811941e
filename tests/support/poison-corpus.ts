import { deriveReporterKeys, fromB64, newReceipt, sign, toB64, type Envelope, type KeyPair, type ReporterKeys, type SealedReport } from '../../crypto/index'
import { utf8 } from '../../crypto/encoding'
import { newReportId } from '../../crypto/chain'
import { sealEnvelope } from '../../crypto/envelope'
import { sealSelfNote } from '../../crypto/inbox'
import { bucketSize } from '../../crypto/padding'
import type { Target } from '../../crypto/thread'
import type { Purpose } from '../../crypto/signing'
import { sodium } from '../../crypto/sodium'
import { LIMITS } from '#common/limits'

/**
 * Poison: reports and messages sealed correctly (the right keys, a valid signature wherever the
 * format signs) whose plaintext has the wrong shape. Each case is the exact plaintext bytes that
 * go into the envelope, built from the keys a real writer would hold, so only the shape is wrong.
 * `tests/unit/payloads.test.ts` opens every case with the crypto/ verbs; `tests/e2e/poison.test.ts`
 * files them through the real API and reads them in Chromium.
 *
 * The largest sealed message is 128 KiB of padded plaintext (LIMITS.messageBucketBytes), so a
 * 1 MiB string cannot be filed at all: the "near the bucket" cases hold the longest string that
 * still fits (`largest` below finds it), about 130,000 characters.
 */

export type CorpusKeys = { reporter: ReporterKeys; identity: KeyPair }
export type Kind = 'report' | 'followup' | 'reply' | 'note'
/** `marker`: text a healthy case shows, for a test to find it by. */
export type Case = { kind: Kind; name: string; plain: (k: CorpusKeys) => Uint8Array; healthy?: { marker: string } }

const MAX_PLAIN = LIMITS.messageBucketBytes - 1 // pad() always adds at least one byte
const PURPOSE: Record<Kind, Purpose> = { report: 'report', followup: 'followup', reply: 'reply', note: 'note' }
const signerOf = (kind: Kind, k: CorpusKeys) => (kind === 'report' || kind === 'followup' ? k.reporter.sign.privateKey : k.identity.privateKey)

/** The wrapper signJson makes, around any JSON text `m` (which may be anything at all). */
export const signedText = (purpose: Purpose, m: string, sk: Uint8Array) => utf8(JSON.stringify({ m, s: toB64(sign(purpose, utf8(m), sk)) }))

/** `m` bytes with a placeholder replaced by raw bytes that are not UTF-8, signed as they stand. */
function withRawBytes(purpose: Purpose, m: string, raw: number[], sk: Uint8Array): Uint8Array {
  const HOLE = '\u24e7' // ⓧ: three UTF-8 bytes, nowhere else in the text
  const swap = (b: Uint8Array) => {
    const hole = utf8(HOLE)
    for (let i = 0; i <= b.length - hole.length; i++)
      if (hole.every((x, j) => b[i + j] === x)) return new Uint8Array([...b.subarray(0, i), ...raw, ...b.subarray(i + hole.length)])
    throw new Error('no placeholder')
  }
  const mBytes = swap(utf8(m))
  const sig = toB64(sign(purpose, mBytes, sk))
  return swap(utf8(JSON.stringify({ m, s: sig })))
}

/** The longest n for which build(n) still fits one sealed message. */
export function largest(build: (n: number) => Uint8Array): number {
  let lo = 0
  let hi = MAX_PLAIN
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2)
    if (build(mid).length <= MAX_PLAIN) lo = mid
    else hi = mid - 1
  }
  return lo
}

// ---------------------------------------------------------------------------------------------
// Healthy shapes, to break one part at a time

export const goodAnswers = (whatHappened: string): Record<string, unknown> => ({
  categories: ['racism'],
  whatHappened,
  when: 'Last week',
  where: 'Custody suite',
  who: 'A custody sergeant',
  role: 'witness',
  contact: '',
})
const reporterPart = (k: CorpusKeys) => ({ signPk: toB64(k.reporter.sign.publicKey), boxPk: toB64(k.reporter.box.publicKey) })
const goodRef = () => ({ id: 'AbCdEfGhIjKlMnOpQrStUv', name: 'statement.pdf', type: 'application/pdf', size: 1234, key: toB64(new Uint8Array(32).fill(7)) })

/** A payload of `kind` with every field right, for overriding one at a time. */
function payload(kind: Kind, k: CorpusKeys): Record<string, unknown> {
  if (kind === 'report') return { type: 'report', answers: goodAnswers('Poisoned report'), reporter: reporterPart(k) }
  if (kind === 'followup') return { type: 'followup', text: 'Poisoned follow-up' }
  if (kind === 'reply') return { type: 'reply', text: 'Poisoned reply', reviewer: 'Reviewer Wren' }
  return { type: 'note', text: 'Poisoned note', by: 'Dana Reviewer' }
}

const json = (kind: Kind, name: string, edit: (p: Record<string, unknown>, k: CorpusKeys) => unknown): Case => ({
  kind,
  name,
  plain: (k) => signedText(PURPOSE[kind], JSON.stringify(edit(payload(kind, k), k)), signerOf(kind, k)),
})
const withAnswers = (name: string, edit: (a: Record<string, unknown>) => unknown): Case =>
  json('report', name, (p) => ({ ...p, answers: edit({ ...(p.answers as Record<string, unknown>) }) }))
const without = (o: Record<string, unknown>, key: string) => {
  const { [key]: _, ...rest } = o
  return rest
}

// ---------------------------------------------------------------------------------------------
// Shapes that break any kind of payload

const WRONG_TYPES: Array<[string, unknown]> = [
  ['a number', 42],
  ['null', null],
  ['true', true],
  ['an object', { x: 1 }],
  ['an array', ['x']],
]

const FILE_REFS: Array<[string, (r: Record<string, unknown>) => unknown]> = [
  ['files as a string', () => 'statement.pdf'],
  ['files as an object', (r) => r],
  ['files empty', () => []],
  ['a file as null', () => [null]],
  ['a file as a number', () => [42]],
  ['a file without an id', (r) => [without(r, 'id')]],
  ['a file id that is a path', (r) => [{ ...r, id: '../../../../etc/passwd' }]],
  ['a file id of 21 characters', (r) => [{ ...r, id: 'A'.repeat(21) }]],
  ['a file without a name', (r) => [without(r, 'name')]],
  ['an empty file name', (r) => [{ ...r, name: '' }]],
  ['a file name with a direction override', (r) => [{ ...r, name: 'invoice\u202Efdp.exe' }]],
  ['a file name with a path', (r) => [{ ...r, name: '../secret.txt' }]],
  ['a file name of 241 characters', (r) => [{ ...r, name: `${'n'.repeat(237)}.pdf` }]],
  ['a file name with a lone surrogate', (r) => [{ ...r, name: 'photo\ud800.jpg' }]],
  ['a file type with parameters', (r) => [{ ...r, type: 'text/html; charset=utf-8' }]],
  ['a file type in capitals', (r) => [{ ...r, type: 'IMAGE/PNG' }]],
  ['a file type of 101 characters', (r) => [{ ...r, type: `application/${'x'.repeat(89)}` }]],
  ['a negative file size', (r) => [{ ...r, size: -1 }]],
  ['a fractional file size', (r) => [{ ...r, size: 1.5 }]],
  ['a file size as text', (r) => [{ ...r, size: '1234' }]],
  ['a file size past 2^53', (r) => [{ ...r, size: 2 ** 60 }]],
  ['a short file key', (r) => [{ ...r, key: 'short' }]],
  ['a file key that is not canonical base64url', (r) => [{ ...r, key: 'l'.repeat(43) }]],
  ['a file with an extra field', (r) => [{ ...r, url: 'https://example.org/' }]],
  ['the same file twice', (r) => [r, r]],
  ['51 files', (r) => Array.from({ length: 51 }, (_, i) => ({ ...r, id: `${'F'.repeat(19)}${String(i).padStart(3, '0')}` }))],
]

/** Plaintexts that are not a signed JSON payload at all (built raw, with the kind's signing key where one is needed). */
function notSignedJson(kind: Kind): Case[] {
  const raw = (name: string, plain: (k: CorpusKeys) => Uint8Array): Case => ({ kind, name, plain })
  const m = (name: string, text: string): Case => raw(name, (k) => signedText(PURPOSE[kind], text, signerOf(kind, k)))
  return [
    raw('plain text, not JSON', () => utf8('hello, this is not JSON')),
    raw('empty plaintext', () => new Uint8Array(0)),
    raw('JSON cut short', () => utf8('{"m":"{\\"type\\":')),
    raw('JSON null', () => utf8('null')),
    raw('a JSON array', () => utf8('[1,2,3]')),
    raw('m as a number', () => utf8(JSON.stringify({ m: 1, s: 'A'.repeat(86) }))),
    raw('no signature', (k) => utf8(JSON.stringify({ m: JSON.stringify(payload(kind, k)) }))),
    raw('a signature of the wrong length', (k) => utf8(JSON.stringify({ m: JSON.stringify(payload(kind, k)), s: 'AAAA' }))),
    raw('an extra field beside the signature', (k) => {
      const m = JSON.stringify(payload(kind, k))
      return utf8(JSON.stringify({ m, s: toB64(sign(PURPOSE[kind], utf8(m), signerOf(kind, k))), x: 1 }))
    }),
    m('signed text that is not JSON', 'not json at all'),
    m('signed null', 'null'),
    m('signed array', '[]'),
    m('signed string', '"just a string"'),
    m('signed number', '42'),
    raw('bytes that are not UTF-8', () => new Uint8Array([0xff, 0xfe, 0xfd, 0x00, 0x80])),
    raw('an overlong UTF-8 sequence inside the text', (k) =>
      withRawBytes(PURPOSE[kind], JSON.stringify({ ...payload(kind, k), ...textField(kind, 'a\u24e7b') }), [0xc0, 0xaf], signerOf(kind, k)),
    ),
    raw('a UTF-8-encoded surrogate inside the text', (k) =>
      withRawBytes(PURPOSE[kind], JSON.stringify({ ...payload(kind, k), ...textField(kind, 'a\u24e7b') }), [0xed, 0xa0, 0x80], signerOf(kind, k)),
    ),
    raw('a truncated UTF-8 sequence inside the text', (k) =>
      withRawBytes(PURPOSE[kind], JSON.stringify({ ...payload(kind, k), ...textField(kind, 'a\u24e7b') }), [0xe2, 0x82], signerOf(kind, k)),
    ),
  ]
}
const textField = (kind: Kind, text: string) => (kind === 'report' ? { answers: goodAnswers(text) } : { text })

function deep(depth: number): string {
  return `${'['.repeat(depth)}${']'.repeat(depth)}`
}

// ---------------------------------------------------------------------------------------------
// The corpus

const ANSWER_FIELDS = ['categories', 'whatHappened', 'when', 'where', 'who', 'role', 'contact']
const OVER: Array<[string, number]> = [
  ['whatHappened', LIMITS.whatHappenedChars],
  ['when', LIMITS.whenChars],
  ['where', LIMITS.whereChars],
  ['who', LIMITS.whoChars],
  ['contact', LIMITS.contactChars],
]

function reports(): Case[] {
  const cases: Case[] = [
    ...ANSWER_FIELDS.map((f) => withAnswers(`answers without ${f}`, (a) => without(a, f))),
    ...ANSWER_FIELDS.flatMap((f) => WRONG_TYPES.map(([what, v]) => withAnswers(`${f} as ${what}`, (a) => ({ ...a, [f]: v })))),
    withAnswers('an unknown category', (a) => ({ ...a, categories: ['not-a-category'] })),
    withAnswers('a category by its label', (a) => ({ ...a, categories: ['Racism'] })),
    withAnswers('a category twice', (a) => ({ ...a, categories: ['racism', 'racism'] })),
    withAnswers('no category', (a) => ({ ...a, categories: [] })),
    withAnswers('ten categories', (a) => ({
      ...a,
      categories: ['racism', 'sexism', 'homophobia', 'disablism', 'sexual-harassment', 'bullying', 'domestic-abuse', 'corruption', 'other', 'racism'],
    })),
    withAnswers('an unknown role', (a) => ({ ...a, role: 'boss' })),
    withAnswers('empty what happened', (a) => ({ ...a, whatHappened: '' })),
    ...OVER.map(([f, max]) => withAnswers(`${f} one character over its limit`, (a) => ({ ...a, [f]: 'x'.repeat(max + 1) }))),
    {
      kind: 'report',
      name: 'what happened near the bucket maximum',
      plain: (k) => {
        const build = (n: number) =>
          signedText('report', JSON.stringify({ ...payload('report', k), answers: goodAnswers('x'.repeat(n)) }), k.reporter.sign.privateKey)
        return build(largest(build))
      },
    },
    {
      kind: 'report',
      name: 'contact near the bucket maximum, in two-byte characters',
      plain: (k) => {
        const build = (n: number) =>
          signedText(
            'report',
            JSON.stringify({ ...payload('report', k), answers: { ...goodAnswers('x'), contact: 'é'.repeat(n) } }),
            k.reporter.sign.privateKey,
          )
        return build(largest(build))
      },
    },
    withAnswers('10,000 categories', (a) => ({ ...a, categories: Array(10_000).fill('racism') })),
    withAnswers('what happened as 20,000 strings', (a) => ({ ...a, whatHappened: Array(20_000).fill('') })),
    withAnswers('5,000 extra answers', (a) => ({ ...a, ...Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`extra${i}`, 'x'])) })),
    {
      kind: 'report',
      name: 'what happened nested 20,000 arrays deep',
      plain: (k) => {
        const p = JSON.stringify({ ...payload('report', k), answers: goodAnswers('NEST') }).replace('"NEST"', deep(20_000))
        return signedText('report', p, k.reporter.sign.privateKey)
      },
    },
    {
      kind: 'report',
      name: 'answers nested 5,000 objects deep',
      plain: (k) => {
        const p = JSON.stringify({ ...payload('report', k), answers: 'NEST' }).replace('"NEST"', `${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}`)
        return signedText('report', p, k.reporter.sign.privateKey)
      },
    },
    { kind: 'report', name: 'the whole payload nested 30,000 arrays deep', plain: (k) => signedText('report', deep(30_000), k.reporter.sign.privateKey) },
    withAnswers('a lone high surrogate in what happened', (a) => ({ ...a, whatHappened: 'before \ud800 after' })),
    withAnswers('a lone low surrogate in who', (a) => ({ ...a, who: '\udc00' })),
    withAnswers('a lone surrogate in a category', (a) => ({ ...a, categories: ['racism\ud83d'] })),
    withAnswers('a direction override in the role', (a) => ({ ...a, role: '\u202Ewitness' })),
    withAnswers('a control character in a category', (a) => ({ ...a, categories: ['racism\u0000'] })),
    withAnswers('an extra answer', (a) => ({ ...a, extra: 'x' })),
    withAnswers('an answer named __proto__', (a) => JSON.parse(JSON.stringify(a).replace(/^\{/, '{"__proto__":{"polluted":"yes"},'))),
    withAnswers('answers as an array', () => ['racism']),
    withAnswers('answers as text', () => 'I saw it'),
    json('report', 'no answers', (p) => without(p, 'answers')),
    json('report', 'an extra top-level field', (p) => ({ ...p, extra: true })),
    json('report', 'no type', (p) => without(p, 'type')),
    ...['followup', 'reply', 'note', 'Report', 1, null].map((t) => json('report', `type ${JSON.stringify(t)}`, (p) => ({ ...p, type: t }))),
    json('report', 'no reporter keys', (p) => without(p, 'reporter')),
    json('report', 'a reporter signing key that is not base64url', (p) => ({ ...p, reporter: { ...(p.reporter as object), signPk: 'not a key!' } })),
    json('report', 'a reporter box key of 31 bytes', (p) => ({ ...p, reporter: { ...(p.reporter as object), boxPk: toB64(new Uint8Array(31)) } })),
    json('report', 'reporter keys with an extra field', (p) => ({ ...p, reporter: { ...(p.reporter as object), name: 'PC Jones' } })),
    json('report', 'reporter as null', (p) => ({ ...p, reporter: null })),
    ...FILE_REFS.map(([name, files]) => json('report', name, (p) => ({ ...p, files: files(goodRef()) }))),
    ...notSignedJson('report'),
  ]
  return cases
}

function followups(): Case[] {
  const big = (k: CorpusKeys, unit: string) => {
    const build = (n: number) => signedText('followup', JSON.stringify({ type: 'followup', text: unit.repeat(n) }), k.reporter.sign.privateKey)
    return build(largest(build))
  }
  return [
    json('followup', 'no text', (p) => without(p, 'text')),
    ...WRONG_TYPES.map(([what, v]) => json('followup', `text as ${what}`, (p) => ({ ...p, text: v }))),
    json('followup', 'text of 20,001 characters', (p) => ({ ...p, text: 'x'.repeat(20_001) })),
    { kind: 'followup', name: 'text near the bucket maximum', plain: (k) => big(k, 'x') },
    { kind: 'followup', name: 'text near the bucket maximum, in emoji', plain: (k) => big(k, '\u{1F600}') },
    json('followup', 'a lone surrogate in the text', (p) => ({ ...p, text: 'one \udbff two' })),
    {
      kind: 'followup',
      name: 'text nested 20,000 arrays deep',
      plain: (k) => signedText('followup', `{"type":"followup","text":${deep(20_000)}}`, k.reporter.sign.privateKey),
    },
    json('followup', 'an extra field', (p) => ({ ...p, reviewer: 'Reviewer Wren' })),
    json('followup', 'no type', (p) => without(p, 'type')),
    json('followup', 'type report', (p) => ({ ...p, type: 'report' })),
    json('followup', 'type note', (p) => ({ ...p, type: 'note' })),
    ...FILE_REFS.filter((_, i) => i % 2 === 0).map(([name, files]) => json('followup', name, (p) => ({ ...p, files: files(goodRef()) }))),
    ...notSignedJson('followup').filter((_, i) => i % 2 === 0),
  ]
}

function replies(): Case[] {
  return [
    json('reply', 'no reviewer', (p) => without(p, 'reviewer')),
    json('reply', 'reviewer as a number', (p) => ({ ...p, reviewer: 7 })),
    json('reply', 'an empty reviewer', (p) => ({ ...p, reviewer: '' })),
    json('reply', 'a reviewer of 201 characters', (p) => ({ ...p, reviewer: 'R'.repeat(201) })),
    json('reply', 'a lone surrogate in the reviewer', (p) => ({ ...p, reviewer: 'Reviewer \ud800' })),
    json('reply', 'no text', (p) => without(p, 'text')),
    json('reply', 'empty text', (p) => ({ ...p, text: '' })),
    json('reply', 'text as an array', (p) => ({ ...p, text: ['a', 'b'] })),
    json('reply', 'an extra field', (p) => ({ ...p, html: '<b>hi</b>' })),
    json('reply', 'type followup with a reviewer', (p) => ({ ...p, type: 'followup' })),
    ...FILE_REFS.filter((_, i) => i % 3 === 1).map(([name, files]) => json('reply', name, (p) => ({ ...p, files: files(goodRef()) }))),
    ...notSignedJson('reply').filter((_, i) => i % 3 === 0),
  ]
}

function notes(): Case[] {
  return [
    json('note', 'no author', (p) => without(p, 'by')),
    json('note', 'author as a number', (p) => ({ ...p, by: 5 })),
    json('note', 'an empty author', (p) => ({ ...p, by: '' })),
    json('note', 'no text', (p) => without(p, 'text')),
    json('note', 'text as an object', (p) => ({ ...p, text: { words: 'x' } })),
    json('note', 'text of 20,001 characters', (p) => ({ ...p, text: 'x'.repeat(20_001) })),
    json('note', 'type reply', (p) => ({ ...p, type: 'reply', reviewer: 'Reviewer Wren' })),
    json('note', 'an extra field', (p) => ({ ...p, files: [goodRef()] })),
    ...notSignedJson('note').filter((_, i) => i % 3 === 2),
  ]
}

/** Well-formed values with control and direction characters in their words: they must show, isolated. */
export const HEALTHY: Case[] = [
  {
    kind: 'report',
    name: 'healthy report',
    healthy: { marker: 'HEALTHY-ALPHA' },
    plain: (k) => good('report', k, 'HEALTHY-ALPHA: nicknames at the custody desk'),
  },
  {
    kind: 'report',
    name: 'healthy report with bidi and controls',
    healthy: { marker: 'HEALTHY-BRAVO' },
    plain: (k) => good('report', k, 'HEALTHY-BRAVO: \u202Eoverride left open, \u2067isolate left open, bell\u0007 and marks\u200F\u200E end'),
  },
  {
    kind: 'followup',
    name: 'healthy follow-up',
    healthy: { marker: 'HEALTHY-FOLLOWUP' },
    plain: (k) => good('followup', k, 'HEALTHY-FOLLOWUP: I remembered the date'),
  },
  {
    kind: 'followup',
    name: 'healthy follow-up with bidi',
    healthy: { marker: 'HEALTHY-BIDI-FOLLOWUP' },
    plain: (k) => good('followup', k, 'HEALTHY-BIDI-FOLLOWUP \u202Edesrever\u0008 tab\tend'),
  },
  {
    kind: 'reply',
    name: 'healthy reply',
    healthy: { marker: 'HEALTHY-REPLY' },
    plain: (k) => good('reply', k, 'HEALTHY-REPLY: thank you, we are looking into it'),
  },
  {
    kind: 'reply',
    name: 'healthy reply under a name with an unclosed override',
    healthy: { marker: 'HEALTHY-BIDI-REPLY' },
    plain: (k) =>
      signedText('reply', JSON.stringify({ type: 'reply', text: 'HEALTHY-BIDI-REPLY: noted', reviewer: 'Reviewer \u202Enerw' }), k.identity.privateKey),
  },
  { kind: 'note', name: 'healthy note', healthy: { marker: 'HEALTHY-NOTE' }, plain: (k) => good('note', k, 'HEALTHY-NOTE: two witnesses named') },
]

function good(kind: Kind, k: CorpusKeys, words: string): Uint8Array {
  const p = payload(kind, k)
  const value = kind === 'report' ? { ...p, answers: goodAnswers(words) } : { ...p, text: words }
  return signedText(PURPOSE[kind], JSON.stringify(value), signerOf(kind, k))
}

export const POISON: Case[] = [...reports(), ...followups(), ...replies(), ...notes()]

// ---------------------------------------------------------------------------------------------
// Sealing, exactly as each writer seals

/** A whole report submission around a plaintext: the reporter's own wrap, locator, keys and self-note. */
export function reportSubmission(plain: Uint8Array, target: Target, receipt = newReceipt(), selfNote?: Uint8Array): { receipt: string; body: SealedReport } {
  const keys = deriveReporterKeys(receipt)
  if (bucketSize(plain.length) > LIMITS.messageBucketBytes) throw new Error('plaintext too large for one sealed message')
  return {
    receipt,
    body: {
      reportId: newReportId(),
      inboxId: target.inboxId,
      keyVersion: target.keyVersion,
      envelope: sealEnvelope(plain, fromB64(target.boxPk), { kind: 'self', noteKey: keys.noteKey }),
      locator: keys.locator,
      signPk: toB64(keys.sign.publicKey),
      boxPk: toB64(keys.box.publicKey),
      selfNote: selfNote
        ? rawSelfNote(selfNote, keys.noteKey)
        : sealSelfNote({ inboxId: target.inboxId, inboxSignPk: target.signPk, keyVersion: target.keyVersion }, keys.noteKey),
    },
  }
}

/** A self-note holding any bytes, sealed as sealSelfNote seals (padded to 512 bytes; 256 before the heads). */
export function rawSelfNote(bytes: Uint8Array, noteKey: Uint8Array, block = 512): string {
  const s = sodium()
  const nonce = s.randombytes_buf(24)
  return toB64(new Uint8Array([...nonce, ...s.crypto_secretbox_easy(s.pad(bytes, block), nonce, noteKey)]))
}

/** Self-notes that open with the receipt's key but are not a self-note. */
export const POISONED_SELF_NOTES: Array<[string, (inboxId: string) => Uint8Array]> = [
  ['not JSON', () => utf8('not a self-note')],
  ['a key version as text', (inboxId) => utf8(JSON.stringify({ inboxId, inboxSignPk: toB64(new Uint8Array(32)), keyVersion: '1' }))],
  ['an extra field', (inboxId) => utf8(JSON.stringify({ inboxId, inboxSignPk: toB64(new Uint8Array(32)), keyVersion: 1, x: 1 }))],
]

/** The envelope a follow-up, reply or note travels in, as its writer seals it. */
export function messageEnvelope(
  kind: Exclude<Kind, 'report'>,
  plain: Uint8Array,
  inbox: { boxPk: Uint8Array; boxSk: Uint8Array },
  reporter: ReporterKeys,
): Envelope {
  if (kind === 'followup') return sealEnvelope(plain, inbox.boxPk, { kind: 'self', noteKey: reporter.noteKey })
  if (kind === 'reply') return sealEnvelope(plain, inbox.boxPk, { kind: 'reply', reporterBoxPk: reporter.box.publicKey, inboxSk: inbox.boxSk })
  return sealEnvelope(plain, inbox.boxPk, { kind: 'none' })
}
