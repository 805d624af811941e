import { describe, expect, it, vi } from 'vitest'
import { requestErrors } from '../../server/request-errors.server'

/** Failures of reporter requests are counted and written once a day; reviewer ones at once. */
describe('request errors', () => {
  const setup = (start: string) => {
    const lines: Array<{ obj: Record<string, unknown>; msg: string; at: Date }> = []
    let t = new Date(start)
    const tally = requestErrors({ error: (obj: Record<string, unknown>, msg: string) => lines.push({ obj, msg, at: t }) } as never, () => t)
    return { lines, tally, set: (iso: string) => (t = new Date(iso)) }
  }

  it('writes nothing when a reporter request fails, and one line with the day and counts once it is over', () => {
    vi.useFakeTimers({ now: new Date('2026-12-01T14:32:07.123Z') })
    const { lines, tally, set } = setup('2026-12-01T14:32:07.123Z')
    tally.record('/check', new TypeError('secret words a reporter typed'))
    tally.record('/api/reporter/thread', new TypeError('x'))
    tally.record('/report', new RangeError('y'))
    expect(lines).toEqual([])
    set('2026-12-02T00:00:01.000Z')
    vi.advanceTimersByTime(10 * 60 * 60 * 1000)
    expect(lines).toHaveLength(1)
    expect(lines[0].obj).toEqual({ day: '2026-12-01', failed: { TypeError: 2, RangeError: 1 } })
    expect(JSON.stringify(lines)).not.toContain('secret words')
    // The line is written at or after midnight: its own time says nothing about the day before.
    expect(lines[0].at.toISOString() >= '2026-12-02T00:00:00.000Z').toBe(true)
    tally.stop()
    vi.useRealTimers()
  })

  it('a day that ended without its timer is written before the new day counts', () => {
    const { lines, tally, set } = setup('2026-12-01T23:59:00.000Z')
    tally.record('/check', new TypeError('x'))
    set('2026-12-03T09:00:00.000Z')
    tally.record('/check', new SyntaxError('y'))
    expect(lines.map((l) => l.obj)).toEqual([{ day: '2026-12-01', failed: { TypeError: 1 } }])
    tally.stop()
  })

  it('logs a failed reviewer request at once, by kind only', () => {
    const { lines, tally } = setup('2026-12-01T10:00:00.000Z')
    tally.record('/api/review/triage/open', new TypeError('words'))
    tally.record('/review/report/abc', new RangeError('more words'))
    expect(lines.map((l) => [l.obj, l.msg])).toEqual([
      [{ name: 'TypeError' }, 'reviewer request failed'],
      [{ name: 'RangeError' }, 'reviewer request failed'],
    ])
    tally.stop()
  })
})
