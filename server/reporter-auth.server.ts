import { fromB64, verify } from '#crypto'
import { newSessionSpend, type SessionSpend } from './budgets.server'
import { randomId } from './ids.server'
import { UserError } from '#common/errors'
import { TIMINGS } from '#common/limits'
import { ownedMap } from './owned-map.server'
import { attemptCounter } from './rate-limits.server'
import { noSuchReport, type ReportService } from './reports.server'
import { challengeRequestSchema, loginRequestSchema, parseInput } from '#common/wire'

type Challenge = { locator: string; reportId: string; signPk: string; challenge: string; expires: number }
type Session = { reportId: string; lastSeen: number; started: number; spent: SessionSpend }

export type SessionLimits = { sessionsMax: number; sessionsPerReport: number; pendingPerReport: number }
const DEFAULT_LIMITS: SessionLimits = { sessionsMax: 10_000, sessionsPerReport: 3, pendingPerReport: 3 }

/**
 * Receipt login with JavaScript: the browser proves it holds P.sign by signing a one-time
 * challenge. Challenges and sessions live only in memory; a restart simply asks for the code again.
 * Both are kept per report (decision 20): a report's own oldest goes when it has too many, and a
 * full store drops expired ones and then the asking report's own before anyone else's.
 */
export function reporterAuth(
  reports: ReportService,
  opts: { challengeSeconds?: number; attemptsPerHour?: number; limits?: SessionLimits; now?: () => number } = {},
) {
  const now = opts.now ?? Date.now
  const limits = opts.limits ?? DEFAULT_LIMITS
  const ttl = (opts.challengeSeconds ?? TIMINGS.challengeSeconds) * 1000
  const ended = (s: Session, t: number) =>
    t - s.lastSeen > TIMINGS.reporterSessionIdleSeconds * 1000 || t - s.started > TIMINGS.reporterSessionMaxSeconds * 1000
  const challenges = ownedMap<Challenge>({ max: limits.sessionsMax, perOwner: limits.pendingPerReport, expired: (c, t) => c.expires < t, now })
  const sessions = ownedMap<Session>({ max: limits.sessionsMax, perOwner: limits.sessionsPerReport, expired: ended, now })
  // Every challenge counts as an attempt, whether its login then succeeds or not, so neither an
  // abandoned sign-in nor a successful one is free (decision 12, amended by 20): one receipt
  // cannot sign in without end and churn everyone else's sessions.
  const attempts = attemptCounter(opts.attemptsPerHour ?? 10, 60 * 60 * 1000, limits.sessionsMax, now)

  function session(authorization: string | null): Session {
    const token = authorization?.match(/^Bearer ([A-Za-z0-9_-]{43})$/)?.[1]
    const s = token ? sessions.get(token) : undefined
    const t = now()
    if (!token || !s || ended(s, t)) {
      if (token) sessions.delete(token)
      throw new UserError(401, 'errors.reporterSession.ended')
    }
    s.lastSeen = t
    sessions.touch(token)
    return s
  }

  return {
    async challenge(raw: unknown): Promise<{ challengeId: string; challenge: string; expiresInSeconds: number }> {
      const input = parseInput(challengeRequestSchema, raw)
      const report = await reports.reportIdForLogin(input.locator)
      if (!report) throw noSuchReport()
      if (attempts.blocked(input.locator)) throw new UserError(429, 'errors.reporterSession.tooManyAttempts')
      attempts.fail(input.locator)
      const challengeId = randomId(16)
      const challenge = randomId(32)
      challenges.add(challengeId, report.id, { locator: input.locator, reportId: report.id, signPk: report.signPk, challenge, expires: now() + ttl })
      return { challengeId, challenge, expiresInSeconds: ttl / 1000 }
    },

    login(raw: unknown): { token: string; reportId: string } {
      const input = parseInput(loginRequestSchema, raw)
      const c = challenges.get(input.challengeId)
      // Single use whatever the outcome, so a captured response cannot be replayed.
      challenges.delete(input.challengeId)
      if (!c) throw new UserError(400, 'errors.reporterSession.attemptUsed')
      if (c.expires < now()) throw new UserError(400, 'errors.reporterSession.attemptExpired')
      if (!verify('login', fromB64(c.challenge), fromB64(input.signature), fromB64(c.signPk))) throw new UserError(401, 'errors.reporterSession.notConfirmed')
      const token = randomId(32)
      sessions.add(token, c.reportId, { reportId: c.reportId, lastSeen: now(), started: now(), spent: newSessionSpend() })
      return { token, reportId: c.reportId }
    },

    /** The report a bearer token may act on, or a 401. */
    reportFor: (authorization: string | null): string => session(authorization).reportId,

    /** The same, with what this session has sent so far, for the follow-up budget. */
    sessionFor(authorization: string | null): { reportId: string; spent: SessionSpend } {
      const s = session(authorization)
      return { reportId: s.reportId, spent: s.spent }
    },

    logout(authorization: string | null): void {
      const token = authorization?.match(/^Bearer (.+)$/)?.[1]
      if (token) sessions.delete(token)
    },
  }
}

export type ReporterAuth = ReturnType<typeof reporterAuth>
