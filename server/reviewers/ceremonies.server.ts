import { createHmac, timingSafeEqual } from 'node:crypto'
import { randomBytes } from '#crypto'
import { randomId } from '../ids.server'
import { UserError } from '#common/errors'

const TTL_MS = 5 * 60 * 1000
const MAX_PENDING = 1_000
const MAX_SPENT = 100_000

const used = () => new UserError(400, 'errors.passkeys.requestUsed')
const expired = () => new UserError(400, 'errors.passkeys.requestExpired')

/**
 * WebAuthn challenges waiting for their answer: in memory, single use, five minutes. A stale or
 * replayed response finds nothing here and is refused before any signature is checked. Only for
 * ceremonies that a token or session already gates: the oldest goes first when full.
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
      if (!entry) throw used()
      if (entry.expires < now()) throw expired()
      return entry
    },
  }
}

/**
 * Sign-in challenges, which anyone may ask for: nothing is kept when one is issued, so asking
 * for millions cannot push a reviewer's pending sign-in out (decision 17). The id carries the
 * challenge and its expiry under this process's MAC key; an answered id is remembered until it
 * expires, so each is still single use.
 */
export function signedChallenges(now: () => number = Date.now) {
  const key = randomBytes(32)
  const spent = new Map<string, number>() // id → expiry, oldest first
  const mac = (body: string) => createHmac('sha256', key).update(body).digest('base64url')
  const forget = () => {
    for (const [id, expires] of spent) {
      if (expires >= now() && spent.size < MAX_SPENT) break
      spent.delete(id)
    }
  }
  return {
    open(challenge: string): string {
      const body = `${(now() + TTL_MS).toString(36)}.${challenge}`
      return `${body}.${mac(body)}`
    },
    take(id: unknown): { challenge: string } {
      const parts = typeof id === 'string' ? id.split('.') : []
      if (parts.length !== 3) throw used()
      const [expiresText, challenge, tag] = parts
      const want = Buffer.from(mac(`${expiresText}.${challenge}`))
      const got = Buffer.from(tag)
      if (got.length !== want.length || !timingSafeEqual(got, want) || spent.has(id as string)) throw used()
      const expires = parseInt(expiresText, 36)
      if (expires < now()) throw expired()
      forget()
      spent.set(id as string, expires)
      return { challenge }
    },
  }
}
