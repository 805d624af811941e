import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ACKNOWLEDGE_DAYS, canMove, clocks, DELETION_WARNING_DAYS, STATUSES, TRANSITIONS, type ReportClock } from '#common/triage-rules'
import { addDays, addMonths, daysBetween } from '#common/days'

/** The deadlines reviewers are held to, and the path a report may take (common/triage-rules.ts). */

const clock = (over: Partial<ReportClock> = {}): ReportClock => ({
  receivedDay: '2025-01-10',
  acknowledgedDay: null,
  feedbackDay: null,
  closedDay: null,
  retentionDays: 365,
  ...over,
})

// Any real day from 1990 to 2100, as YYYY-MM-DD.
const anyDay = fc
  .date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2100-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10))

describe('addDays', () => {
  it('crosses month ends, year ends and leap days', () => {
    expect(addDays('2025-01-31', 1)).toBe('2025-02-01')
    expect(addDays('2025-12-31', 1)).toBe('2026-01-01')
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31')
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29') // leap year
    expect(addDays('2025-02-28', 1)).toBe('2025-03-01') // not a leap year
    expect(addDays('2100-02-28', 1)).toBe('2100-03-01') // century, not a leap year
    expect(addDays('2000-02-28', 1)).toBe('2000-02-29') // divisible by 400: leap year
    expect(addDays('2024-01-01', 366)).toBe('2025-01-01')
    expect(addDays('2025-01-01', 365)).toBe('2026-01-01')
    expect(addDays('2025-03-30', 1)).toBe('2025-03-31') // a European clock change changes nothing in UTC
    expect(addDays('2025-06-15', 0)).toBe('2025-06-15')
  })

  it('is undone by the opposite step and agrees with daysBetween', () => {
    fc.assert(
      fc.property(anyDay, fc.integer({ min: -4000, max: 4000 }), (day, n) => {
        const later = addDays(day, n)
        expect(later).toMatch(/^\d{4}-\d{2}-\d{2}$/)
        expect(addDays(later, -n)).toBe(day)
        expect(daysBetween(day, later)).toBe(n)
      }),
    )
  })
})

describe('addMonths', () => {
  it('clamps to the end of a shorter month, as a person counts', () => {
    expect(addMonths('2025-01-31', 1)).toBe('2025-02-28')
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29') // leap year
    expect(addMonths('2025-03-31', 1)).toBe('2025-04-30')
    expect(addMonths('2025-08-31', 1)).toBe('2025-09-30')
    expect(addMonths('2025-11-30', 3)).toBe('2026-02-28')
    expect(addMonths('2023-11-30', 3)).toBe('2024-02-29')
    expect(addMonths('2024-02-29', 12)).toBe('2025-02-28')
    expect(addMonths('2024-02-29', 48)).toBe('2028-02-29')
  })

  it('crosses year ends both ways', () => {
    expect(addMonths('2025-12-31', 1)).toBe('2026-01-31')
    expect(addMonths('2025-11-15', 3)).toBe('2026-02-15')
    expect(addMonths('2025-10-31', 3)).toBe('2026-01-31')
    expect(addMonths('2026-01-31', -1)).toBe('2025-12-31')
    expect(addMonths('2026-03-31', -1)).toBe('2026-02-28')
    expect(addMonths('2025-01-15', -13)).toBe('2023-12-15')
  })

  it('keeps the day when the target month has it, and never leaves the target month', () => {
    fc.assert(
      fc.property(anyDay, fc.integer({ min: -60, max: 60 }), (day, n) => {
        const out = addMonths(day, n)
        const [y, m, d] = day.split('-').map(Number)
        const [oy, om, od] = out.split('-').map(Number)
        expect(oy * 12 + om).toBe(y * 12 + m + n)
        if (d <= 28) expect(od).toBe(d)
        else expect(od).toBe(Math.min(d, new Date(Date.UTC(oy, om, 0)).getUTCDate()))
      }),
    )
  })
})

describe('clocks: acknowledge within 7 days', () => {
  it('is due 7 days after receipt, also across a year end', () => {
    expect(clocks(clock(), '2025-01-10').acknowledge.due).toBe('2025-01-17')
    expect(clocks(clock({ receivedDay: '2025-12-28' }), '2025-12-28').acknowledge.due).toBe('2026-01-04')
    expect(clocks(clock({ receivedDay: '2024-02-25' }), '2024-02-25').acknowledge.due).toBe('2024-03-03')
    expect(ACKNOWLEDGE_DAYS).toBe(7)
  })

  it('is overdue only once today is past the due day and nobody has acknowledged', () => {
    expect(clocks(clock(), '2025-01-17').acknowledge).toEqual({ due: '2025-01-17', metOn: null, overdue: false })
    expect(clocks(clock(), '2025-01-18').acknowledge).toEqual({ due: '2025-01-17', metOn: null, overdue: true })
  })

  it('met on time is never overdue; met late stays overdue for good', () => {
    const onTime = clock({ acknowledgedDay: '2025-01-17' })
    expect(clocks(onTime, '2026-06-01').acknowledge).toEqual({ due: '2025-01-17', metOn: '2025-01-17', overdue: false })
    const late = clock({ acknowledgedDay: '2025-01-18' })
    expect(clocks(late, '2025-01-18').acknowledge.overdue).toBe(true)
    expect(clocks(late, '2027-01-01').acknowledge).toEqual({ due: '2025-01-17', metOn: '2025-01-18', overdue: true })
  })
})

describe('clocks: feedback within 3 calendar months', () => {
  it('is due 3 calendar months after receipt, clamped to the month end', () => {
    expect(clocks(clock(), '2025-01-10').feedback.due).toBe('2025-04-10')
    expect(clocks(clock({ receivedDay: '2025-11-30' }), '2025-11-30').feedback.due).toBe('2026-02-28')
    expect(clocks(clock({ receivedDay: '2023-11-30' }), '2023-11-30').feedback.due).toBe('2024-02-29')
    expect(clocks(clock({ receivedDay: '2025-10-31' }), '2025-10-31').feedback.due).toBe('2026-01-31')
  })

  it('is overdue the day after it falls due when nothing has met it', () => {
    expect(clocks(clock(), '2025-04-10').feedback.overdue).toBe(false)
    expect(clocks(clock(), '2025-04-11').feedback).toEqual({ due: '2025-04-10', metOn: null, overdue: true })
  })

  it('is met by a feedback reply or by closing, whichever the report has', () => {
    expect(clocks(clock({ feedbackDay: '2025-03-01' }), '2025-09-01').feedback).toEqual({ due: '2025-04-10', metOn: '2025-03-01', overdue: false })
    expect(clocks(clock({ closedDay: '2025-02-01' }), '2025-09-01').feedback).toEqual({ due: '2025-04-10', metOn: '2025-02-01', overdue: false })
    // The reply came first; a later closing does not move when it was met.
    expect(clocks(clock({ feedbackDay: '2025-03-01', closedDay: '2025-05-01' }), '2025-09-01').feedback.metOn).toBe('2025-03-01')
  })

  it('met late stays overdue, whether by a reply or by closing', () => {
    expect(clocks(clock({ feedbackDay: '2025-04-11' }), '2030-01-01').feedback).toMatchObject({ metOn: '2025-04-11', overdue: true })
    expect(clocks(clock({ closedDay: '2025-05-01' }), '2030-01-01').feedback).toMatchObject({ metOn: '2025-05-01', overdue: true })
  })
})

describe('clocks: deletion', () => {
  it('has no deletion day while the report is open', () => {
    const c = clocks(clock({ acknowledgedDay: '2025-01-11' }), '2030-01-01')
    expect(c.deleteOn).toBeNull()
    expect(c.deletionSoon).toBe(false)
  })

  it('deletes retentionDays after closing, across year ends and leap days', () => {
    expect(clocks(clock({ closedDay: '2025-03-01', retentionDays: 30 }), '2025-03-01').deleteOn).toBe('2025-03-31')
    expect(clocks(clock({ closedDay: '2025-12-15', retentionDays: 30 }), '2025-12-15').deleteOn).toBe('2026-01-14')
    expect(clocks(clock({ closedDay: '2024-02-01', retentionDays: 365 }), '2024-02-01').deleteOn).toBe('2025-01-31')
    expect(clocks(clock({ closedDay: '2025-02-01', retentionDays: 3650 }), '2025-02-01').deleteOn).toBe('2035-01-30')
  })

  it('warns within 14 days of deletion, and from then on', () => {
    const closed = clock({ closedDay: '2025-03-01', retentionDays: 30 }) // deleted on 2025-03-31
    expect(DELETION_WARNING_DAYS).toBe(14)
    expect(clocks(closed, '2025-03-16').deletionSoon).toBe(false) // 15 days to go
    expect(clocks(closed, '2025-03-17').deletionSoon).toBe(true) // 14 days to go
    expect(clocks(closed, '2025-03-31').deletionSoon).toBe(true)
    expect(clocks(closed, '2025-04-02').deletionSoon).toBe(true) // past due: the sweep has not run yet
  })

  it('agrees with addDays for any closing day and retention period', () => {
    fc.assert(
      fc.property(anyDay, fc.integer({ min: 30, max: 3650 }), fc.integer({ min: -20, max: 20 }), (closedDay, retentionDays, offset) => {
        const deleteOn = addDays(closedDay, retentionDays)
        const c = clocks(clock({ receivedDay: addDays(closedDay, -1), closedDay, retentionDays }), addDays(deleteOn, offset))
        expect(c.deleteOn).toBe(deleteOn)
        expect(c.deletionSoon).toBe(-offset <= DELETION_WARNING_DAYS)
      }),
    )
  })
})

describe('canMove', () => {
  const allowed = new Set(Object.entries(TRANSITIONS).flatMap(([from, tos]) => tos.map((to) => `${from}>${to}`)))

  it('allows exactly the moves TRANSITIONS lists, for every pair of statuses', () => {
    for (const from of STATUSES) for (const to of STATUSES) expect(canMove(from, to), `${from} → ${to}`).toBe(allowed.has(`${from}>${to}`))
    expect(allowed.size).toBe(11)
  })

  it('never allows staying put, going back to received, or leaving closed except to reopen', () => {
    for (const s of STATUSES) expect(canMove(s, s)).toBe(false)
    for (const s of STATUSES) expect(canMove(s, 'received')).toBe(false)
    expect(STATUSES.filter((to) => canMove('closed', to))).toEqual(['assessing'])
  })

  it('refuses unknown statuses either way, including inherited object keys', () => {
    fc.assert(
      fc.property(fc.string(), fc.constantFrom(...STATUSES), (junk, s) => {
        fc.pre(!(STATUSES as readonly string[]).includes(junk))
        expect(canMove(junk, s)).toBe(false)
        expect(canMove(s, junk)).toBe(false)
      }),
    )
    for (const k of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      expect(canMove(k, 'closed')).toBe(false)
      expect(canMove('received', k)).toBe(false)
    }
  })

  it('every status can reach closed, and a reopened report goes back to assessing, never to received or acknowledged', () => {
    const reach = (from: string, seen = new Set<string>()): Set<string> => {
      for (const to of TRANSITIONS[from as keyof typeof TRANSITIONS]) if (!seen.has(to)) reach(to, seen.add(to))
      return seen
    }
    for (const s of STATUSES) expect(reach(s).has('closed'), s).toBe(true)
    expect([...reach('closed')].sort()).toEqual(['assessing', 'closed', 'investigating', 'referred'])
  })
})
