import { randomBytes, toB64 } from '../crypto/index'

/** Reporter-side times are kept to the day (UTC), never finer. */
export function today(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10)
}

export function randomId(bytes = 16): string {
  return toB64(randomBytes(bytes))
}
