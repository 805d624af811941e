import { UserError } from '#common/errors'

/**
 * One token bucket for everyone: `perMinute` refill, at most `burst` at once. Global on purpose:
 * a per-client bucket needs a client key, and the only one without JavaScript is the address,
 * which we do not keep (decision 12).
 */
export function tokenBucket(perMinute: number, burst: number, now: () => number = Date.now) {
  let tokens = burst
  let at = now()
  return {
    take(): boolean {
      const t = now()
      tokens = Math.min(burst, tokens + ((t - at) / 60_000) * perMinute)
      at = t
      if (tokens < 1) return false
      tokens -= 1
      return true
    },
  }
}

/**
 * The budget the no-JS form actions (/report, /check, /check/download) share, spent at the start
 * of each action before its body is read: inside the action, so no spelling of the address or
 * `?_data=` variant goes around it. The JS path has its proof of work instead.
 */
export function formBudget(perMinute: number, burst: number, now: () => number = Date.now) {
  const bucket = tokenBucket(perMinute, burst, now)
  return {
    spend() {
      if (!bucket.take()) throw new UserError(429, 'errors.forms.busy')
    },
  }
}

/**
 * Counts attempts per key within a fixed window, in memory, bounded: the oldest key goes first
 * when full. Keys are report locators, which the database holds already.
 */
export function attemptCounter(limit: number, windowMs: number, maxKeys = 10_000, now: () => number = Date.now) {
  const seen = new Map<string, { n: number; since: number }>()
  const current = (key: string) => {
    const e = seen.get(key)
    if (e && now() - e.since > windowMs) {
      seen.delete(key)
      return undefined
    }
    return e
  }
  return {
    blocked: (key: string) => (current(key)?.n ?? 0) >= limit,
    fail(key: string) {
      const e = current(key)
      if (e) return void e.n++
      if (seen.size >= maxKeys) seen.delete(seen.keys().next().value as string)
      seen.set(key, { n: 1, since: now() })
    },
  }
}

export type FormBudget = ReturnType<typeof formBudget>
