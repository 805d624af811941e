import { beforeAll, describe, expect, it } from 'vitest'
import {
  deriveReporterKeys,
  newInboxKeys,
  newReceipt,
  openMessage,
  openNote,
  openReport,
  openThreadAsReporter,
  logKey,
  publishKey,
  ready,
  sealFollowup,
  sealNote,
  sealReply,
  sealReport,
  toB64,
  UnreadableError,
  type Envelope,
  type InboxKeys,
  type ReporterKeys,
  type WireThread,
} from '../../crypto/index'
import { utf8 } from '../../crypto/encoding'
import { openSelfNote } from '../../crypto/inbox'
import { PAYLOAD_BOUNDS } from '../../crypto/payloads'
import type { Target } from '../../crypto/thread'
import { plainText } from '../../crypto/text'
import { parseAnswers } from '#common/answers'
import { FILE_LIMITS, LIMITS } from '#common/limits'
import { readAnswers } from '#common/report-fields'
import { HEALTHY, messageEnvelope, POISON, POISONED_SELF_NOTES, rawSelfNote, reportSubmission, type Case, type CorpusKeys } from '../support/poison-corpus'

let inbox: InboxKeys
let target: Target
let receipt: string
let reporter: ReporterKeys
let keys: CorpusKeys

beforeAll(async () => {
  await ready()
  inbox = newInboxKeys(1)
  target = { ...publishKey(inbox), inboxId: 'inbox-poison' }
  receipt = newReceipt()
  reporter = deriveReporterKeys(receipt)
  keys = { reporter, identity: inbox.identity }
})

const asInbox = () => ({ as: 'inbox', inbox: inbox.encryption }) as const
const trust = () => ({ reporterSignPk: toB64(reporter.sign.publicKey), inboxSignPk: toB64(inbox.identity.publicKey) })
const sealed = (c: Case): Envelope =>
  c.kind === 'report'
    ? reportSubmission(c.plain(keys), target, receipt).body.envelope
    : messageEnvelope(c.kind, c.plain(keys), { boxPk: inbox.encryption.publicKey, boxSk: inbox.encryption.privateKey }, reporter)

/** What a reviewer's page gets from a case: the answers or words it may show, or the error it was refused with. */
function openAsReviewer(c: Case): { shown: unknown } | { refused: unknown } {
  try {
    const env = sealed(c)
    if (c.kind === 'report') {
      const r = openReport(env, asInbox())
      // Well-formed as the format goes: the app's own schema has the last word.
      const answers = r.verified ? readAnswers(r.answers) : null
      return answers ? { shown: answers } : { refused: 'readAnswers' }
    }
    if (c.kind === 'note') return { shown: openNote(env, asInbox(), trust().inboxSignPk) }
    return { shown: openMessage(env, asInbox(), trust()) }
  } catch (err) {
    return { refused: err }
  }
}

describe('the poison corpus', () => {
  it('holds at least 200 malformed reports and messages of every kind', () => {
    expect(POISON.length).toBeGreaterThanOrEqual(200)
    for (const kind of ['report', 'followup', 'reply', 'note']) expect(POISON.filter((c) => c.kind === kind).length, kind).toBeGreaterThan(10)
    expect(new Set(POISON.map((c) => `${c.kind} ${c.name}`)).size).toBe(POISON.length)
  })

  // One case per test: a failure names the shape that got through.
  for (const c of POISON)
    it(`${c.kind}: ${c.name} is refused, and nothing of it reaches the caller`, () => {
      const got = openAsReviewer(c)
      expect(got, 'a malformed value was handed on').not.toHaveProperty('shown')
      const why = (got as { refused: unknown }).refused
      // Decryption worked (the keys are right): the only refusals are "not well-formed" ones.
      if (why !== 'readAnswers') expect(why).toBeInstanceOf(UnreadableError)
    })

  for (const c of HEALTHY)
    it(`${c.kind}: ${c.name} opens and verifies, words intact`, () => {
      const got = openAsReviewer(c) as { shown: any }
      expect(got.shown).toBeDefined()
      if (c.kind !== 'report') expect(got.shown.verified).toBe(true)
      expect(JSON.stringify(got.shown)).toContain(c.healthy!.marker)
    })
})

describe('the reporter opening a whole thread', () => {
  const wire = (messages: Case[], selfNote?: Uint8Array): WireThread => {
    const first = HEALTHY[0]
    const sub = reportSubmission(first.plain(keys), target, receipt, selfNote)
    return {
      reportId: 'AAAAAAAAAAAAAAAAAAAAAA',
      receivedDay: '2026-11-01',
      status: 'received',
      deleted: [],
      envelope: sub.body.envelope,
      selfNote: sub.body.selfNote,
      keys: [publishKey(inbox)],
      log: logKey(inbox),
      messages: messages.map((c, i) => ({
        seq: i + 1,
        author: c.kind === 'followup' ? 'reporter' : 'reviewer',
        keyVersion: 1,
        envelope: sealed(c),
        day: '2026-11-02',
      })),
    }
  }

  it('shows every well-formed message and marks each malformed one unreadable, with nothing of it kept', () => {
    const poison = POISON.filter((c) => c.kind === 'followup' || c.kind === 'reply')
    const healthy = HEALTHY.filter((c) => c.kind === 'followup' || c.kind === 'reply')
    const all = [healthy[0], ...poison, ...healthy.slice(1)]
    const view = openThreadAsReporter(wire(all), reporter)
    expect(view.report).toBe('verified')
    expect(view.messages.map((m) => m.seq)).toEqual(all.map((_, i) => i + 1))
    view.messages.forEach((m, i) => {
      if (all[i].healthy) expect(m, all[i].name).toMatchObject({ verified: true, text: expect.stringContaining(all[i].healthy!.marker) })
      else
        expect(m, all[i].name).toEqual({
          seq: i + 1,
          author: m.author,
          day: '2026-11-02',
          place: 'unverified',
          text: '',
          files: [],
          verified: false,
          unreadable: true,
        })
    })
    expect(view.sealTo?.keyVersion).toBe(1)
  })

  it('a malformed report leaves its messages readable', () => {
    const malformed = POISON.find((c) => c.name === 'answers as text')!
    const sub = reportSubmission(malformed.plain(keys), target, receipt)
    const t = { ...wire(HEALTHY.filter((c) => c.kind === 'followup')), envelope: sub.body.envelope }
    const view = openThreadAsReporter(t, reporter)
    expect(view).toMatchObject({ report: 'unreadable', answers: null, files: [] })
    expect(view.messages.every((m) => m.verified)).toBe(true)
  })

  // The thread page reads them through readAnswers (threadModel), on both paths: tests/e2e/poison.test.ts.
  it('answers the format allows but the form never writes are left to readAnswers, which refuses them', () => {
    const domain = POISON.find((c) => c.name === 'answers without when')!
    const t = { ...wire([]), envelope: reportSubmission(domain.plain(keys), target, receipt).body.envelope }
    const view = openThreadAsReporter(t, reporter)
    expect(view.report).toBe('verified') // the format is fine; the app's schema is not
    expect(view.answers).not.toBeNull()
    expect(readAnswers(view.answers)).toBeNull()
  })

  for (const [name, bytes] of POISONED_SELF_NOTES)
    it(`a self-note that is ${name} pins nothing: the report still opens, no reply verifies, nothing can be sealed to it`, () => {
      const note = bytes(target.inboxId)
      expect(() => openSelfNote(rawSelfNote(note, reporter.noteKey), reporter.noteKey)).toThrow(UnreadableError)
      const view = openThreadAsReporter(
        wire(
          HEALTHY.filter((c) => c.kind === 'reply' || c.kind === 'followup'),
          note,
        ),
        reporter,
      )
      expect(view).toMatchObject({ report: 'verified', pinned: null, sealTo: null })
      expect(view.messages.filter((m) => m.author === 'reporter').every((m) => m.verified)).toBe(true)
      expect(view.messages.filter((m) => m.author === 'reviewer').map((m) => [m.verified, m.unreadable])).toEqual([
        [false, undefined],
        [false, undefined],
      ])
    })

  it('a self-note that does not open at all (a damaged rewrite) pins nothing, and the report still opens', () => {
    const t = { ...wire(HEALTHY.filter((c) => c.kind === 'reply')), selfNote: rawSelfNote(utf8('{}'), new Uint8Array(32)) }
    expect(openThreadAsReporter(t, reporter)).toMatchObject({ report: 'verified', pinned: null, sealTo: null })
  })

  it("another receipt's keys still cannot open the thread at all", () => {
    expect(() => openThreadAsReporter(wire([]), deriveReporterKeys(newReceipt()))).toThrow()
  })
})

describe('the seal verbs write only what the open verbs accept', () => {
  const full = {
    categories: ['racism'],
    whatHappened: 'w'.repeat(LIMITS.whatHappenedChars),
    when: 'n'.repeat(LIMITS.whenChars),
    where: 'e'.repeat(LIMITS.whereChars),
    who: 'o'.repeat(LIMITS.whoChars),
    role: 'told',
    contact: 'c'.repeat(LIMITS.contactChars),
  }

  it('answers at every limit seal, open and read back whole', () => {
    const r = openReport(sealReport(full, receipt, target).envelope, asInbox())
    expect(r.verified).toBe(true)
    expect(readAnswers(r.answers)).toEqual(full)
  })

  it('the no-JS form parser and the page write answers readAnswers accepts', () => {
    const parsed = parseAnswers(
      {
        inboxId: 'inbox-1',
        categories: ['sexism', 'sexism'],
        whatHappened: ' Comments \r\n at briefing ',
        when: '',
        where: '',
        who: '',
        role: '',
        contact: '',
      },
      true,
    )
    expect(parsed.ok).toBe(true)
    expect(readAnswers(parsed.ok ? parsed.answers : null)).not.toBeNull()
  })

  it('a follow-up, reply and note at the app limit seal and open', () => {
    const text = 't'.repeat(LIMITS.followupChars)
    expect(openMessage(sealFollowup(text, reporter, target.boxPk, [], null), asInbox(), trust())).toMatchObject({ text, verified: true })
    expect(openMessage(sealReply({ text, reviewer: 'Reviewer Wren', chain: null }, inbox, toB64(reporter.box.publicKey)), asInbox(), trust())).toMatchObject({
      text,
      verified: true,
    })
    expect(openNote(sealNote({ text, by: 'Dana Reviewer' }, inbox), asInbox(), trust().inboxSignPk)).toMatchObject({ text, verified: true })
  })

  it('refuses to seal a lone surrogate, an over-long text or a malformed file', () => {
    expect(() => sealFollowup('half \ud800', reporter, target.boxPk, [], null)).toThrow(/cannot be sealed/)
    expect(() => sealFollowup('x'.repeat(PAYLOAD_BOUNDS.textChars + 1), reporter, target.boxPk, [], null)).toThrow(/cannot be sealed/)
    expect(() => sealReply({ text: 'hi', reviewer: '', chain: null }, inbox, toB64(reporter.box.publicKey))).toThrow(/cannot be sealed/)
    expect(() => sealNote({ text: 'x', by: 'R'.repeat(PAYLOAD_BOUNDS.nameChars + 1) }, inbox)).toThrow(/cannot be sealed/)
    expect(() => sealReport({ whatHappened: { nested: true } }, receipt, target)).toThrow(/cannot be sealed/)
    expect(() => sealReport(full, receipt, target, [{ id: 'x', name: 'a', type: 'text/plain', size: 1, key: 'k' }])).toThrow(/cannot be sealed/)
  })

  it('the format bounds sit above the app limits', () => {
    expect(PAYLOAD_BOUNDS.textChars).toBeGreaterThanOrEqual(Math.max(LIMITS.followupChars, LIMITS.whatHappenedChars, LIMITS.whoChars, LIMITS.whereChars))
    expect(PAYLOAD_BOUNDS.fileNameChars).toBeGreaterThanOrEqual(2 * FILE_LIMITS.fileNameChars)
    expect(PAYLOAD_BOUNDS.filesPerMessage).toBeGreaterThanOrEqual(50) // FILES_PER_MESSAGE's ceiling
    expect(PAYLOAD_BOUNDS.answerItems).toBeGreaterThanOrEqual(LIMITS.categoriesMax)
  })
})

describe('well-formed text', () => {
  const cases: Array<[string, boolean]> = [
    ['plain', true],
    ['emoji \u{1F600} pair', true],
    ['bidi \u202E and controls \u0000\u0007', true],
    ['lone high \ud800', false],
    ['lone low \udc00 x', false],
    ['reversed pair \ude00\ud83d', false],
  ]
  it('refuses lone surrogates, with isWellFormed and without it (older browsers)', () => {
    const schema = plainText(0, 100)
    for (const [s, ok] of cases) expect(schema.safeParse(s).success, JSON.stringify(s)).toBe(ok)
    const own = Object.getOwnPropertyDescriptor(String.prototype, 'isWellFormed')
    try {
      delete (String.prototype as { isWellFormed?: unknown }).isWellFormed
      for (const [s, ok] of cases) expect(schema.safeParse(s).success, `fallback ${JSON.stringify(s)}`).toBe(ok)
    } finally {
      if (own) Object.defineProperty(String.prototype, 'isWellFormed', own)
    }
  })
})
