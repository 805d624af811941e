import { describe, expect, it } from 'vitest'
import { byteBucket, followupBudgets, newSessionSpend, type BudgetConfig } from '../../server/budgets.server'
import { ownedMap } from '../../server/owned-map.server'
import { refusedWith } from '../support/refusal'

/** Budgets and bounded session stores, on an injected clock (decision 20). */
const MIB = 1024 * 1024
const HOUR = 3_600_000

function clock(start = Date.UTC(2026, 10, 23, 9, 0, 0)) {
  let t = start
  return { now: () => t, advance: (ms: number) => void (t += ms) }
}

const config = (over: Partial<BudgetConfig> = {}): BudgetConfig => ({
  noJsUploadBytesPerHour: MIB,
  noJsUploadBurstBytes: MIB,
  unattachedBytesPerDay: MIB,
  minFreeBytes: 0,
  noJsFilesKeepMs: HOUR,
  sessionsPerReport: 3,
  sessionsMax: 10,
  pendingPerReport: 3,
  messagesPerSession: 3,
  bytesPerSession: 10_000,
  messagesPerReportDay: 5,
  bytesPerReportDay: 20_000,
  ...over,
})

describe('byteBucket', () => {
  it('lets the burst through, refuses past it, and refills by the hour', () => {
    const c = clock()
    const b = byteBucket(4 * MIB, 2 * MIB, c.now)
    expect(b.take(MIB)).toBe(true)
    expect(b.take(MIB)).toBe(true)
    expect(b.take(1)).toBe(false)
    c.advance(HOUR / 4) // a quarter of 4 MiB
    expect(b.take(MIB)).toBe(true)
    expect(b.take(64 * 1024)).toBe(false)
    c.advance(10 * HOUR) // never more than the burst
    expect(b.take(2 * MIB)).toBe(true)
    expect(b.take(1)).toBe(false)
  })

  it('a refused piece costs nothing', () => {
    const c = clock()
    const b = byteBucket(MIB, 1000, c.now)
    expect(b.take(1001)).toBe(false)
    expect(b.take(1000)).toBe(true)
  })
})

describe('followupBudgets', () => {
  it('a session may send its number of messages; the next is a 429 that says the words stay', () => {
    const f = followupBudgets(config(), { now: clock().now })
    const s = newSessionSpend()
    for (let i = 0; i < 3; i++) f.spend('r1', s, 10)
    expect(refusedWith(() => f.spend('r1', s, 10))).toMatch(/This visit has sent 3 messages.*still in the box/)
    // Another session of the same report still has the day's budget left: two more.
    const s2 = newSessionSpend()
    f.spend('r1', s2, 10)
    f.spend('r1', s2, 10)
    expect(refusedWith(() => f.spend('r1', s2, 10))).toMatch(/Your report has had 5 messages today/)
    // Without JavaScript there is no session; the day's budget still holds.
    expect(refusedWith(() => f.spend('r1', undefined, 10))).toMatch(/5 messages today/)
    // Other reports are not touched.
    f.spend('r2', undefined, 10)
  })

  it('bytes count per session and per day', () => {
    const f = followupBudgets(config(), { now: clock().now })
    const s = newSessionSpend()
    f.spend('r1', s, 9_000)
    expect(refusedWith(() => f.spend('r1', s, 1_001))).toMatch(/past 1 MiB of messages and files, the most one visit/)
    f.spend('r1', s, 1_000)
    f.spend('r1', newSessionSpend(), 9_999)
    expect(refusedWith(() => f.spend('r1', newSessionSpend(), 2))).toMatch(/past 1 MiB of messages and files today/)
  })

  it('charges at once, so racing requests see each other; a refund gives the charge back once', () => {
    const f = followupBudgets(config(), { now: clock().now })
    const s = newSessionSpend()
    const results = Array.from({ length: 60 }, () => {
      try {
        return f.spend('r1', s, 10)
      } catch {
        return undefined
      }
    })
    expect(results.filter(Boolean)).toHaveLength(3)
    const refund = results[0]!
    refund()
    refund()
    expect(s).toEqual({ messages: 2, bytes: 20 })
    f.spend('r1', s, 10)
    expect(refusedWith(() => f.spend('r1', s, 10))).toMatch(/This visit/)
  })

  it('the day budget starts again at midnight UTC', () => {
    const c = clock(Date.UTC(2026, 10, 23, 23, 59, 0))
    const f = followupBudgets(config({ messagesPerSession: 100 }), { now: c.now })
    for (let i = 0; i < 5; i++) f.spend('r1', undefined, 10)
    expect(refusedWith(() => f.spend('r1', undefined, 10))).toMatch(/today/)
    c.advance(60_000)
    f.spend('r1', undefined, 10)
  })

  it("a full map drops yesterday first, then the least recently charged, never today's first", () => {
    const c = clock(Date.UTC(2026, 10, 23, 23, 0, 0))
    const f = followupBudgets(config({ messagesPerReportDay: 1 }), { now: c.now, maxReports: 3 })
    f.spend('old', undefined, 1)
    c.advance(2 * HOUR) // the next day
    f.spend('a', undefined, 1)
    f.spend('b', undefined, 1)
    f.spend('c', undefined, 1) // full: 'old' (yesterday) goes, not 'a'
    expect(refusedWith(() => f.spend('a', undefined, 1))).toMatch(/today/)
    expect(refusedWith(() => f.spend('b', undefined, 1))).toMatch(/today/)
  })
})

describe('ownedMap (reporter sessions and sign-in challenges)', () => {
  type V = { until: number }
  const make = (c: ReturnType<typeof clock>, max = 4, perOwner = 2) => ownedMap<V>({ max, perOwner, expired: (v, t) => v.until < t, now: c.now })

  it("an owner past its cap loses its own oldest entry, nobody else's", () => {
    const c = clock()
    const m = make(c)
    m.add('b1', 'B', { until: Infinity })
    m.add('a1', 'A', { until: Infinity })
    m.add('a2', 'A', { until: Infinity })
    m.add('a3', 'A', { until: Infinity })
    expect([m.get('a1'), m.get('a2'), m.get('a3'), m.get('b1')].map(Boolean)).toEqual([false, true, true, true])
    expect(m.countOf('A')).toBe(2)
  })

  it("when full: expired entries go first, then the adding owner's own, then the least recently used of others", () => {
    const c = clock()
    const m = make(c, 4, 3)
    m.add('c1', 'C', { until: Infinity })
    m.add('a1', 'A', { until: Infinity })
    m.add('d1', 'D', { until: c.now() + 1000 })
    m.add('b1', 'B', { until: Infinity })
    c.advance(2000) // d1 has expired; c1 is the least recently used
    m.add('a2', 'A', { until: Infinity })
    expect(['c1', 'a1', 'd1', 'b1', 'a2'].map((k) => !!m.get(k))).toEqual([true, true, false, true, true])
    // Full again, nothing expired: A's own oldest goes, not C's, the least recently used.
    m.add('a3', 'A', { until: Infinity })
    expect(['c1', 'a1', 'b1', 'a2', 'a3'].map((k) => !!m.get(k))).toEqual([true, false, true, true, true])
    // E has nothing of its own: the least recently used of others goes. C was used lately, so B.
    m.touch('c1')
    m.add('e1', 'E', { until: Infinity })
    expect(['c1', 'b1', 'a2', 'a3', 'e1'].map((k) => !!m.get(k))).toEqual([true, false, true, true, true])
    expect(m.size).toBe(4)
  })

  it("one owner adding without end never pushes out another owner's live entry", () => {
    const c = clock()
    const m = make(c, 100, 3)
    m.add('victim', 'V', { until: Infinity })
    for (let i = 0; i < 10_000; i++) m.add(`x${i}`, 'X', { until: Infinity })
    expect(m.get('victim')).toBeTruthy()
    expect(m.countOf('X')).toBe(3)
    expect(m.size).toBe(4)
  })

  it('delete and re-adding a key keep the per-owner count right', () => {
    const m = make(clock())
    m.add('a1', 'A', { until: Infinity })
    m.add('a1', 'A', { until: Infinity })
    expect(m.countOf('A')).toBe(1)
    m.delete('a1')
    expect(m.countOf('A')).toBe(0)
    expect(m.ownerOf('a1')).toBeUndefined()
  })
})
