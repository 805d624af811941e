import fs from 'node:fs'
import { today } from '#common/days'
import { UserError } from '#common/errors'
import { sizeWords } from '#common/limits'

/**
 * What uploads and reporter sessions may cost (decision 20): a byte budget for files sent
 * without JavaScript, a floor of free disk space, and message budgets per session and per report
 * per day. Every counter lives in memory only; a restart forgets them, and nothing on disk dates
 * a reporter's action.
 */

export type BudgetConfig = {
  noJsUploadBytesPerHour: number
  noJsUploadBurstBytes: number
  unattachedBytesPerDay: number
  minFreeBytes: number
  noJsFilesKeepMs: number
  sessionsPerReport: number
  sessionsMax: number
  pendingPerReport: number
  messagesPerSession: number
  bytesPerSession: number
  messagesPerReportDay: number
  bytesPerReportDay: number
}

/**
 * A token bucket of bytes: `perHour` refill, at most `burst` at once, shared by everyone (no
 * per-person key exists without JavaScript). Taken piece by piece as a body streams in, so a
 * flood stops as soon as the budget is spent rather than after it was written.
 */
export function byteBucket(perHour: number, burst: number, now: () => number = Date.now) {
  let tokens = burst
  let at = now()
  return {
    take(bytes: number): boolean {
      const t = now()
      tokens = Math.min(burst, tokens + ((t - at) / 3_600_000) * perHour)
      at = t
      if (tokens < bytes) return false
      tokens -= bytes
      return true
    },
  }
}

export const noJsBytesSpent = () => new UserError(429, 'errors.budgets.noJsFiles')

export const quotaSpent = (perDay: number) => new UserError(429, 'errors.budgets.filesToday', { values: { size: sizeWords(perDay) } })

export const shortOfSpace = () => new UserError(503, 'errors.storage.short')

/** Refuses uploads while DATA_DIR has less than `minFree` bytes free for us. */
export function diskFloor(dir: string, minFree: number) {
  return {
    check() {
      if (minFree <= 0) return
      const s = fs.statfsSync(dir)
      if (s.bavail * s.bsize < minFree) throw shortOfSpace()
    },
  }
}

/** What one session has sent; kept on the session itself, so it ends with it. */
export type SessionSpend = { messages: number; bytes: number }
export const newSessionSpend = (): SessionSpend => ({ messages: 0, bytes: 0 })

type DaySpend = SessionSpend & { day: string }

/** The words a page states before anything is sent, and the numbers behind them. */
export type FollowupLimits = { messagesPerSession: number; bytesPerSession: number; messagesPerDay: number; bytesPerDay: number }

/**
 * Follow-up budgets: per session (with JavaScript) and per report per UTC day (both paths).
 * `spend` checks and charges in one synchronous step, so requests racing each other each see
 * the others' charges; it hands back a refund for a message that then fails to be stored.
 * Reports are keyed by their id, which the database holds already. The map is bounded: past
 * `maxReports`, yesterday's entries go first, then the least recently charged.
 */
export function followupBudgets(cfg: BudgetConfig, opts: { now?: () => number; maxReports?: number } = {}) {
  const now = opts.now ?? Date.now
  const maxReports = opts.maxReports ?? 100_000
  const perReport = new Map<string, DaySpend>()
  const limits: FollowupLimits = {
    messagesPerSession: cfg.messagesPerSession,
    bytesPerSession: cfg.bytesPerSession,
    messagesPerDay: cfg.messagesPerReportDay,
    bytesPerDay: cfg.bytesPerReportDay,
  }

  function entry(reportId: string): DaySpend {
    const day = today(new Date(now()))
    const e = perReport.get(reportId)
    if (e && e.day === day) {
      perReport.delete(reportId)
      perReport.set(reportId, e) // most recently charged last
      return e
    }
    perReport.delete(reportId)
    if (perReport.size >= maxReports) {
      for (const [k, v] of perReport) if (v.day !== day) perReport.delete(k)
      if (perReport.size >= maxReports) perReport.delete(perReport.keys().next().value as string)
    }
    const fresh = { day, messages: 0, bytes: 0 }
    perReport.set(reportId, fresh)
    return fresh
  }

  return {
    limits,
    /** Charges one message of `bytes`, or throws a 429 that says which budget is spent. */
    spend(reportId: string, session: SessionSpend | undefined, bytes: number): () => void {
      const day = entry(reportId)
      if (session) {
        if (session.messages + 1 > cfg.messagesPerSession) throw new UserError(429, 'errors.budgets.visitMessages', { values: { max: cfg.messagesPerSession } })
        if (session.bytes + bytes > cfg.bytesPerSession)
          throw new UserError(429, 'errors.budgets.visitBytes', { values: { size: sizeWords(cfg.bytesPerSession) } })
      }
      if (day.messages + 1 > cfg.messagesPerReportDay) throw new UserError(429, 'errors.budgets.dayMessages', { values: { max: cfg.messagesPerReportDay } })
      if (day.bytes + bytes > cfg.bytesPerReportDay) throw new UserError(429, 'errors.budgets.dayBytes', { values: { size: sizeWords(cfg.bytesPerReportDay) } })
      for (const c of session ? [day, session] : [day]) {
        c.messages += 1
        c.bytes += bytes
      }
      let refunded = false
      return () => {
        if (refunded) return
        refunded = true
        for (const c of session ? [day, session] : [day]) {
          c.messages -= 1
          c.bytes -= bytes
        }
      }
    },
  }
}

export type FollowupBudgets = ReturnType<typeof followupBudgets>
