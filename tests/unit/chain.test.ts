import { beforeAll, describe, expect, it } from 'vitest'
import {
  checkChain,
  deriveReporterKeys,
  headsToRecord,
  linkOf,
  logKey,
  newInboxKeys,
  newReceipt,
  openMessage,
  openReport,
  openThreadAsReporter,
  publishKey,
  ready,
  sealFollowup,
  sealReply,
  sealReport,
  sealState,
  type ChainLink,
  type ChainStep,
  type Envelope,
  type InboxKeys,
  type ReporterKeys,
  type SealedReport,
  type WireThread,
} from '../../crypto/index'
import { fromUtf8, utf8 } from '../../crypto/encoding'
import { openEnvelope, sealEnvelope } from '../../crypto/envelope'
import { openSelfNote, sealSelfNote } from '../../crypto/inbox'

let inbox: InboxKeys
let receipt: string
let keys: ReporterKeys
let report: SealedReport
const INBOX = 'inbox-north'

beforeAll(async () => {
  await ready()
  inbox = newInboxKeys(1)
  receipt = newReceipt()
  keys = deriveReporterKeys(receipt)
  report = sealReport({ what: 'Names at parade' }, receipt, { ...publishKey(inbox), inboxId: INBOX })
})

const boxPk = () => report.boxPk
const pair = () => ({ encryption: inbox.encryption, identity: inbox.identity })
const after = (n: number, prev: Envelope, id = report.reportId): ChainLink => ({ report: id, n, prev: linkOf(prev) })
const reply = (text: string, chain: ChainLink | null, state?: { status: string; outcome?: string }) =>
  sealReply({ text, reviewer: 'Reviewer Wren', chain, ...(state ? { state } : {}) }, pair(), boxPk())
const followup = (text: string, chain: ChainLink | null) => sealFollowup(text, keys, publishKey(inbox).boxPk, [], chain)

/** An honest thread: the report, a reply, a follow-up, a change of status. */
function honest() {
  const m1 = reply('We have read it', after(1, report.envelope), { status: 'acknowledged' })
  const m2 = followup('Thank you', after(2, m1))
  const m3 = sealState({ reviewer: 'Reviewer Wren', chain: after(3, m2), state: { status: 'assessing' } }, pair(), boxPk())
  return [m1, m2, m3]
}

function wire(envelopes: { author: 'reporter' | 'reviewer'; envelope: Envelope }[], over: Partial<WireThread> = {}): WireThread {
  return {
    reportId: report.reportId,
    receivedDay: '2026-12-01',
    status: 'assessing',
    envelope: report.envelope,
    selfNote: report.selfNote,
    keys: [publishKey(inbox)],
    log: logKey(inbox),
    messages: envelopes.map((m, i) => ({ seq: i + 1, author: m.author, keyVersion: 1, envelope: m.envelope, day: '2026-12-01' })),
    deleted: [],
    ...over,
  }
}
const authored = (ms: Envelope[]) => ms.map((envelope, i) => ({ author: (i === 1 ? 'reporter' : 'reviewer') as 'reporter' | 'reviewer', envelope }))
const places = (t: WireThread) => openThreadAsReporter(t, keys).messages.map((m) => m.place)

describe('a v2 message names its report, its place and the message before it, signed', () => {
  it('the report signs the id it is sent under, and every kind opens with its chain', () => {
    expect(openReport(report.envelope, { as: 'inbox', inbox: inbox.encryption }).reportId).toBe(report.reportId)
    const [m1, m2, m3] = honest()
    const trust = { reporterSignPk: report.signPk, inboxSignPk: publishKey(inbox).signPk }
    const opener = { as: 'inbox', inbox: inbox.encryption } as const
    expect(openMessage(m1, opener, trust)).toMatchObject({ kind: 'reply', chain: after(1, report.envelope), state: { status: 'acknowledged' }, verified: true })
    expect(openMessage(m2, opener, trust)).toMatchObject({ kind: 'followup', chain: after(2, m1), verified: true })
    expect(openMessage(m3, opener, trust)).toMatchObject({ kind: 'state', state: { status: 'assessing' }, verified: true })
  })

  it('a link is the body alone: the same message rewrapped keeps its place', () => {
    const [m1] = honest()
    const rewrapped = { ...m1, inbox: sealEnvelope(utf8('x'), inbox.encryption.publicKey, { kind: 'none' }).inbox }
    expect(linkOf(rewrapped)).toBe(linkOf(m1))
    expect(linkOf({ ...m1, body: m1.body.slice(0, -2) + (m1.body.endsWith('A') ? 'B' : 'A') })).not.toBe(linkOf(m1))
  })

  it('changing any chain field inside a signed message breaks its signature', () => {
    const [m1] = honest()
    const plain = JSON.parse(fromUtf8(openEnvelope(m1, { as: 'inbox', inbox: inbox.encryption }))) as { m: string; s: string }
    const trust = { reporterSignPk: report.signPk, inboxSignPk: publishKey(inbox).signPk }
    for (const change of [{ n: 2 }, { prev: linkOf(m1) }, { report: 'CCCCCCCCCCCCCCCCCCCCCA' }]) {
      const inner = JSON.parse(plain.m) as { chain: ChainLink }
      const m = JSON.stringify({ ...inner, chain: { ...inner.chain, ...change } })
      const forged = sealEnvelope(utf8(JSON.stringify({ m, s: plain.s })), inbox.encryption.publicKey, { kind: 'none' })
      expect(openMessage(forged, { as: 'inbox', inbox: inbox.encryption }, trust).verified).toBe(false)
    }
  })
})

describe('the reader sees every way a served thread can fail to hold', () => {
  it('an honest thread is in place, its signed state is the newest, and the next message follows the last', () => {
    const ms = honest()
    const view = openThreadAsReporter(wire(authored(ms)), keys)
    expect(view.messages.map((m) => m.place)).toEqual(['ok', 'ok', 'ok'])
    expect(view.signedState).toEqual({ status: 'assessing' })
    expect(view.chain).toMatchObject({ signed: true, holdsRecorded: true, head: { n: 3, link: linkOf(ms[2]) }, next: after(4, ms[2]) })
  })

  it('dropped, reordered, repeated and forked messages are each named', () => {
    const [m1, m2, m3] = honest()
    expect(
      places(
        wire([
          { author: 'reviewer', envelope: m1 },
          { author: 'reviewer', envelope: m3 },
        ]),
      ),
    ).toEqual(['ok', 'missing'])
    expect(places(wire([authored([m1])[0], { author: 'reviewer', envelope: m3 }, { author: 'reporter', envelope: m2 }]))).toEqual([
      'ok',
      'reordered',
      'reordered',
    ])
    expect(places(wire([...authored([m1, m2]), { author: 'reviewer', envelope: m1 }]))).toEqual(['ok', 'ok', 'repeated'])
    const rival = reply('Another version', after(1, report.envelope))
    expect(places(wire([...authored([m1]), { author: 'reviewer', envelope: rival }]))).toEqual(['ok', 'forked'])
  })

  it('a message signed for another report is misplaced, and an unchained one after chained ones too', () => {
    const [m1] = honest()
    const elsewhere = reply('For someone else', after(2, m1, 'CCCCCCCCCCCCCCCCCCCCCA'))
    const v1 = reply('An old reply', null)
    expect(places(wire([...authored([m1]), { author: 'reviewer', envelope: elsewhere }, { author: 'reviewer', envelope: v1 }]))).toEqual([
      'ok',
      'misplaced',
      'misplaced',
    ])
  })

  it('a message that does not verify keeps its link, so the one after it is still in place; so does a deletion', () => {
    const [m1, m2, m3] = honest()
    const garbled = { ...m2, reporter: m1.reporter }
    const t = wire([...authored([m1]), { author: 'reporter', envelope: garbled }, { author: 'reviewer', envelope: m3 }])
    expect(places(t)).toEqual(['ok', 'unverified', 'ok'])
    const gap = wire([authored([m1])[0], { author: 'reviewer', envelope: m3 }], { deleted: [{ seq: 2, link: linkOf(m2) }] })
    gap.messages[1].seq = 3
    expect(places(gap)).toEqual(['ok', 'deleted', 'ok'])
  })

  it('a status the portal claims is not the signed one; with no signed state a v2 report is only received', () => {
    expect(openThreadAsReporter(wire([]), keys).signedState).toBeNull()
    const [m1] = honest()
    expect(openThreadAsReporter(wire(authored([m1])), keys).signedState).toEqual({ status: 'acknowledged' })
  })

  it('a head recorded on an earlier visit must still be there: a thread cut back is caught', () => {
    const ms = honest()
    const first = openThreadAsReporter(wire(authored(ms)), keys)
    const heads = headsToRecord(first)!
    expect(heads.threadHead).toEqual({ seq: 3, hash: linkOf(ms[2]) })
    const note = { ...openSelfNote(report.selfNote, keys.noteKey), ...heads }
    const selfNote = sealSelfNote(note, keys.noteKey)
    const cut = openThreadAsReporter(wire(authored(ms.slice(0, 2)), { selfNote }), keys)
    expect(cut.chain.holdsRecorded).toBe(false)
    // Nothing newer is recorded over what was lost, so every later visit says so too.
    expect(headsToRecord(cut)?.threadHead ?? note.threadHead).toEqual(note.threadHead)
    expect(openThreadAsReporter(wire(authored(ms), { selfNote }), keys).chain.holdsRecorded).toBe(true)
  })
})

describe('checkChain on its own', () => {
  const step = (link: string, chain: ChainLink | null, verified = true): ChainStep => ({ link, chain, verified })
  const L = (c: string) => c.repeat(43)
  it('a v1 thread is unchained until its first chained message, which the served id places', () => {
    const root = { reportId: 'AAAAAAAAAAAAAAAAAAAAAA', link: L('r'), chained: false }
    const { marks, head } = checkChain(root, [step(L('a'), null), step(L('b'), { report: root.reportId, n: 2, prev: L('a') }), step(L('c'), null)])
    expect(marks).toEqual(['unchained', 'ok', 'misplaced'])
    expect(head).toEqual({ n: 2, link: L('b') })
  })
})

describe('one bad entry never stops a thread opening', () => {
  it('an envelope whose body is not base64url still has a link, never a real one, and is shown as unverified', () => {
    const bad = { v: 1, body: '%%% not base64 %%%', inbox: '', reporter: '' } as unknown as Envelope
    expect(linkOf(bad)).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(linkOf(bad)).not.toBe(linkOf({ body: Buffer.from('%%% not base64 %%%').toString('base64url') }))
    const [m1] = honest()
    const view = openThreadAsReporter(
      wire([
        { author: 'reviewer', envelope: bad },
        { author: 'reviewer', envelope: m1 },
      ]),
      keys,
    )
    expect(view.messages.map((m) => [m.place, m.text])).toEqual([
      ['unverified', ''],
      ['ok', 'We have read it'],
    ])
  })
})
