import { randomId } from '../days.server'
import { UserError } from '../errors.server'

const TTL_MS = 5 * 60 * 1000
const MAX_PENDING = 1_000

/**
 * WebAuthn challenges waiting for their answer: in memory, single use, five minutes. A stale or
 * replayed response finds nothing here and is refused before any signature is checked.
 */
export function ceremonyStore<T>(now: () => number = Date.now) {
  const pending = new Map<string, { value: T; challenge: string; expires: number }>()
  return {
    open(challenge: string, value: T): string {
      if (pending.size >= MAX_PENDING) pending.delete(pending.keys().next().value as string)
      const id = randomId(16)
      pending.set(id, { value, challenge, expires: now() + TTL_MS })
      return id
    },
    take(id: unknown): { value: T; challenge: string } {
      const entry = typeof id === 'string' ? pending.get(id) : undefined
      if (typeof id === 'string') pending.delete(id)
      if (!entry) throw new UserError(400, 'This passkey request was already used or never existed. Start again.')
      if (entry.expires < now()) throw new UserError(400, 'This passkey request expired. Start again.')
      return entry
    },
  }
}
