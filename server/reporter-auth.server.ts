import { fromB64, verify } from '../crypto/index'
import { randomId } from './days.server'
import { UserError } from './errors.server'
import { TIMINGS } from './limits'
import { attemptCounter } from './rate-limits.server'
import { NO_SUCH_REPORT, type ReportService } from './reports.server'
import { challengeRequestSchema, loginRequestSchema, parseInput } from './wire.server'

type Challenge = { locator: string; reportId: string; signPk: string; challenge: string; expires: number }
type Session = { reportId: string; lastSeen: number; started: number }

const MAX_PENDING = 10_000

/**
 * Receipt login with JavaScript: the browser proves it holds P.sign by signing a one-time
 * challenge. Challenges and sessions live only in memory; a restart simply asks for the code again.
 */
export function reporterAuth(
  reports: ReportService,
  opts: { challengeSeconds?: number; attemptsPerHour?: number; now?: () => number } = {},
) {
  const now = opts.now ?? Date.now
  const ttl = (opts.challengeSeconds ?? TIMINGS.challengeSeconds) * 1000
  const challenges = new Map<string, Challenge>()
  const sessions = new Map<string, Session>()
  // Every challenge counts as an attempt until a login with it succeeds, so an abandoned or
  // failed sign-in uses up the code's allowance as a wrong signature does (decision 12).
  const attempts = attemptCounter(opts.attemptsPerHour ?? 10, 60 * 60 * 1000, MAX_PENDING, now)

  function bounded<T>(map: Map<string, T>) {
    // Maps keep insertion order, so the first key is the oldest.
    if (map.size >= MAX_PENDING) map.delete(map.keys().next().value as string)
  }

  return {
    async challenge(raw: unknown): Promise<{ challengeId: string; challenge: string; expiresInSeconds: number }> {
      const input = parseInput(challengeRequestSchema, raw)
      const report = await reports.reportIdForLogin(input.locator)
      if (!report) throw new UserError(404, NO_SUCH_REPORT)
      if (attempts.blocked(input.locator)) throw new UserError(429, 'Too many attempts for this code; wait an hour.')
      attempts.fail(input.locator)
      const challengeId = randomId(16)
      const challenge = randomId(32)
      bounded(challenges)
      challenges.set(challengeId, { locator: input.locator, reportId: report.id, signPk: report.signPk, challenge, expires: now() + ttl })
      return { challengeId, challenge, expiresInSeconds: ttl / 1000 }
    },

    login(raw: unknown): { token: string; reportId: string } {
      const input = parseInput(loginRequestSchema, raw)
      const c = challenges.get(input.challengeId)
      // Single use whatever the outcome, so a captured response cannot be replayed.
      challenges.delete(input.challengeId)
      if (!c) throw new UserError(400, 'This sign-in attempt was already used or never existed. Enter your code again.')
      if (c.expires < now()) throw new UserError(400, 'This sign-in attempt expired. Enter your code again.')
      if (!verify('login', fromB64(c.challenge), fromB64(input.signature), fromB64(c.signPk)))
        throw new UserError(401, 'The receipt code could not be confirmed. Enter it again.')
      attempts.succeed(c.locator)
      const token = randomId(32)
      bounded(sessions)
      sessions.set(token, { reportId: c.reportId, lastSeen: now(), started: now() })
      return { token, reportId: c.reportId }
    },

    /** The report a bearer token may act on, or a 401. */
    reportFor(authorization: string | null): string {
      const token = authorization?.match(/^Bearer ([A-Za-z0-9_-]{43})$/)?.[1]
      const s = token ? sessions.get(token) : undefined
      const t = now()
      if (
        !token ||
        !s ||
        t - s.lastSeen > TIMINGS.reporterSessionIdleSeconds * 1000 ||
        t - s.started > TIMINGS.reporterSessionMaxSeconds * 1000
      ) {
        if (token) sessions.delete(token)
        throw new UserError(401, 'Your session has ended. Enter your receipt code again.')
      }
      s.lastSeen = t
      return s.reportId
    },

    logout(authorization: string | null): void {
      const token = authorization?.match(/^Bearer (.+)$/)?.[1]
      if (token) sessions.delete(token)
    },
  }
}

export type ReporterAuth = ReturnType<typeof reporterAuth>
