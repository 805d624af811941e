import { z } from 'zod'
import type { BudgetConfig } from './budgets.server'

/**
 * Abuse-resistance settings (decision 12): their part of the environment schema, spread into
 * loadConfig's, so a bad value stops the start with the same message. Kept apart so the numbers
 * and their reasons sit together. Tests set small values; the defaults are the production ones.
 */
export const abuseEnvShape = {
  // 2^12 hashes at idle: a few milliseconds on a laptop, well under a second on an old phone.
  POW_BASE_BITS: z.coerce.number().int().min(0).max(24).default(12),
  // 2^20 (about a million hashes) at most: a second or two on a laptop, several on a phone.
  POW_MAX_BITS: z.coerce.number().int().min(0).max(26).default(20),
  // Proofs redeemed in the last minute above which difficulty starts to rise…
  POW_BUSY_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(60),
  // …by one bit for each this many more.
  POW_STEP_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(30),
  // Paying today's price (decision 18). A proof may be this many bits below the price at
  // redemption: one bit is half the work, so a proof asked for just before a rise still counts.
  POW_TOLERANCE_BITS: z.coerce.number().int().min(0).max(8).default(1),
  // Challenges fetched per minute count as load ÷ this. An honest page fetches one per thing it
  // sends (and one more now and then on a retry), so 4 leaves room; a prefetch flood of 4 × the
  // busy rate already raises the price, and the challenges it fetched go stale.
  POW_ISSUED_PER_REDEEMED: z.coerce.number().int().min(1).max(1_000_000).default(4),
  // The spent set: one bit per challenge, in issuance windows of a minute or this many
  // challenges, whichever comes first (2^20 = 128 KiB of bitmap)…
  POW_WINDOW_CHALLENGES: z.coerce
    .number()
    .int()
    .min(8)
    .max(2 ** 24)
    .default(2 ** 20),
  // …and at most this many live windows (16 × 128 KiB = 2 MiB). A 5-minute challenge spans 6 or 7
  // minute windows; past the bound the oldest window is dropped early and its holders solve again.
  POW_MAX_WINDOWS: z.coerce.number().int().min(2).max(1024).default(16),
  LOGIN_ATTEMPTS_PER_HOUR: z.coerce.number().int().min(1).max(10_000).default(10),
  // Form posts without JavaScript (/report, /check, /check/download), shared by everyone: no
  // per-person key exists. Taken inside those actions, so no spelling of the address evades it.
  NOJS_POSTS_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(60),
  NOJS_POSTS_BURST: z.coerce.number().int().min(1).max(1_000_000).default(20),
  ...budgetEnvShape(),
}

export type AbuseConfig = {
  powBaseBits: number
  powMaxBits: number
  powBusyPerMinute: number
  powStepPerMinute: number
  powToleranceBits: number
  powIssuedPerRedeemed: number
  powWindowChallenges: number
  powMaxWindows: number
  loginAttemptsPerHour: number
  noJsPostsPerMinute: number
  noJsPostsBurst: number
}

type AbuseEnv = { [K in keyof typeof abuseEnvShape]: z.infer<(typeof abuseEnvShape)[K]> }

/** The settings from the already-validated environment. */
export function abuseConfig(c: AbuseEnv): AbuseConfig {
  return {
    powBaseBits: c.POW_BASE_BITS,
    powMaxBits: Math.max(c.POW_BASE_BITS, c.POW_MAX_BITS),
    powBusyPerMinute: c.POW_BUSY_PER_MINUTE,
    powStepPerMinute: c.POW_STEP_PER_MINUTE,
    powToleranceBits: c.POW_TOLERANCE_BITS,
    powIssuedPerRedeemed: c.POW_ISSUED_PER_REDEEMED,
    powWindowChallenges: c.POW_WINDOW_CHALLENGES,
    powMaxWindows: c.POW_MAX_WINDOWS,
    loginAttemptsPerHour: c.LOGIN_ATTEMPTS_PER_HOUR,
    noJsPostsPerMinute: c.NOJS_POSTS_PER_MINUTE,
    noJsPostsBurst: c.NOJS_POSTS_BURST,
  }
}

/**
 * Upload and session budgets (decision 20), spread into abuseEnvShape above. A function, so this
 * block can sit below the rest.
 * Defaults assume FILE_MAX_MIB=100 and FILES_PER_MESSAGE=10: one message with every file full is
 * 1000 MiB, and each budget lets at least that through when the site is quiet.
 */
function budgetEnvShape() {
  const n = (max: number) => z.coerce.number().int().min(0).max(max)
  return {
    // No-JS file bytes for everyone together: a full message at once, then 2 GiB an hour.
    NOJS_UPLOAD_MIB_PER_HOUR: n(1_000_000).min(1).default(2048),
    NOJS_UPLOAD_BURST_MIB: n(1_000_000).min(1).default(1024),
    // Files uploaded today and not yet sent with a message, JS and no-JS: what junk can fill.
    UPLOAD_UNSENT_MIB_PER_DAY: n(100_000_000).min(1).default(10_240),
    // Below this much free space on DATA_DIR no upload starts: the database must still fit.
    UPLOAD_MIN_FREE_MIB: n(100_000_000).default(2048),
    // How long a file posted without JavaScript waits for its report to be sent. Fractions are
    // for tests (0.05 is three seconds).
    NOJS_FILES_KEEP_MINUTES: z.coerce
      .number()
      .min(0.05)
      .max(24 * 60)
      .default(60),
    // Sign-in: a report's own oldest session (or pending challenge) ends past these.
    REPORTER_SESSIONS_PER_REPORT: n(100).min(1).default(3),
    REPORTER_PENDING_PER_REPORT: n(100).min(1).default(3),
    // Sessions (and pending challenges) kept in memory for everyone together.
    REPORTER_SESSIONS_MAX: n(1_000_000).min(1).default(10_000),
    // Follow-ups: per visit (with JavaScript), and per report per UTC day (both ways).
    FOLLOWUPS_PER_SESSION: n(10_000).min(1).default(20),
    FOLLOWUP_MIB_PER_SESSION: n(1_000_000).min(1).default(1024),
    FOLLOWUPS_PER_REPORT_DAY: n(10_000).min(1).default(50),
    FOLLOWUP_MIB_PER_REPORT_DAY: n(1_000_000).min(1).default(3072),
  }
}

export type BudgetEnv = { [K in keyof ReturnType<typeof budgetEnvShape>]: number }
const MIB = 1024 * 1024

/** The budgets from the already-validated environment (loadConfig puts them in `config.budgets`). */
export function budgetConfig(c: BudgetEnv): BudgetConfig {
  return {
    noJsUploadBytesPerHour: c.NOJS_UPLOAD_MIB_PER_HOUR * MIB,
    noJsUploadBurstBytes: c.NOJS_UPLOAD_BURST_MIB * MIB,
    unattachedBytesPerDay: c.UPLOAD_UNSENT_MIB_PER_DAY * MIB,
    minFreeBytes: c.UPLOAD_MIN_FREE_MIB * MIB,
    noJsFilesKeepMs: c.NOJS_FILES_KEEP_MINUTES * 60_000,
    sessionsPerReport: c.REPORTER_SESSIONS_PER_REPORT,
    pendingPerReport: c.REPORTER_PENDING_PER_REPORT,
    sessionsMax: c.REPORTER_SESSIONS_MAX,
    messagesPerSession: c.FOLLOWUPS_PER_SESSION,
    bytesPerSession: c.FOLLOWUP_MIB_PER_SESSION * MIB,
    messagesPerReportDay: c.FOLLOWUPS_PER_REPORT_DAY,
    bytesPerReportDay: c.FOLLOWUP_MIB_PER_REPORT_DAY * MIB,
  }
}
