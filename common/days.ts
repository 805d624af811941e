/**
 * Days, the finest time Candour keeps for anything a reporter does: YYYY-MM-DD in UTC, never a
 * time of day. Both sides count deadlines and show dates with these.
 */
export function today(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10)
}

export const formatDay = (day: string) =>
  new Date(`${day}T00:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })

const asDate = (day: string) => new Date(`${day}T00:00:00Z`)
const asDay = (d: Date) => d.toISOString().slice(0, 10)

export function addDays(day: string, n: number): string {
  const d = asDate(day)
  d.setUTCDate(d.getUTCDate() + n)
  return asDay(d)
}

/** Calendar months, clamped to the month's end (31 Nov → 30 Nov), as a person would count them. */
export function addMonths(day: string, n: number): string {
  const d = asDate(day)
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, 1))
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate()
  target.setUTCDate(Math.min(d.getUTCDate(), lastDay))
  return asDay(target)
}

export const daysBetween = (from: string, to: string) => Math.round((asDate(to).getTime() - asDate(from).getTime()) / 86_400_000)
