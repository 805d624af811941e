import { createHash } from 'node:crypto'
import { randomId } from '../ids.server'

export const REVIEWER_SESSION = { idleMs: 15 * 60 * 1000, maxMs: 8 * 60 * 60 * 1000 } as const

type Session = { reviewerId: string; passkeyId: string; started: number; lastSeen: number }

/**
 * Reviewer sessions, in memory and keyed by a hash of the cookie value. Removing a reviewer or
 * signing out ends them at once; a restart signs everyone out, which is the safe failure.
 */
export function reviewerSessions(now: () => number = Date.now) {
  const sessions = new Map<string, Session>()
  const hash = (token: string) => createHash('sha256').update(token).digest('base64url')
  return {
    start(reviewerId: string, passkeyId: string): string {
      const token = randomId(32)
      sessions.set(hash(token), { reviewerId, passkeyId, started: now(), lastSeen: now() })
      return token
    },
    /** The reviewer behind a cookie value, or null when absent, unknown, idle or too old. */
    check(token: string | undefined): Session | null {
      if (!token) return null
      const key = hash(token)
      const s = sessions.get(key)
      const t = now()
      if (!s) return null
      if (t - s.lastSeen > REVIEWER_SESSION.idleMs || t - s.started > REVIEWER_SESSION.maxMs) {
        sessions.delete(key)
        return null
      }
      s.lastSeen = t
      return s
    },
    end(token: string | undefined): void {
      if (token) sessions.delete(hash(token))
    },
    endAllFor(reviewerId: string): void {
      for (const [k, s] of sessions) if (s.reviewerId === reviewerId) sessions.delete(k)
    },
    /** A removed passkey must not keep a session alive, say on the laptop that was lost. */
    endAllWithPasskey(passkeyId: string): void {
      for (const [k, s] of sessions) if (s.passkeyId === passkeyId) sessions.delete(k)
    },
  }
}

export type ReviewerSessions = ReturnType<typeof reviewerSessions>
