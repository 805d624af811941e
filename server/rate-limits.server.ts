import type { NextFunction, Request, Response } from 'express'

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

/** The no-JS form posts, limited together; the JS path has its proof of work instead. */
const NO_JS_FORMS = new Set(['/report', '/check', '/check/download'])

export function noJsPostLimit(bucket: ReturnType<typeof tokenBucket>) {
  return (req: Request, res: Response, next: NextFunction) => {
    // Remix's own data requests (?_data=) come from JS pages, which do not post these forms.
    if (req.method !== 'POST' || !NO_JS_FORMS.has(req.path)) return next()
    if (bucket.take()) return next()
    res
      .status(429)
      .set('Retry-After', '60')
      .type('text/html; charset=utf-8')
      .send(
        '<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">' +
          '<title>Busy · Candour</title></head><body><main><h1>Candour is busy</h1>' +
          '<p>Too many forms are being sent right now. Nothing was sent or saved.</p>' +
          '<p>Wait a minute, then go back and send the form again. Your answers may still be on the previous page.</p>' +
          '</main></body></html>',
      )
  }
}

/**
 * Counts unsuccessful attempts per key within a fixed window, in memory, bounded: the oldest key
 * goes first when full. Keys are report locators, which the database holds already.
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
    succeed: (key: string) => void seen.delete(key),
  }
}
