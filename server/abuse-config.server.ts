import { z } from 'zod'

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
  POW_WINDOW_CHALLENGES: z.coerce.number().int().min(8).max(2 ** 24).default(2 ** 20),
  // …and at most this many live windows (16 × 128 KiB = 2 MiB). A 5-minute challenge spans 6 or 7
  // minute windows; past the bound the oldest window is dropped early and its holders solve again.
  POW_MAX_WINDOWS: z.coerce.number().int().min(2).max(1024).default(16),
  LOGIN_ATTEMPTS_PER_HOUR: z.coerce.number().int().min(1).max(10_000).default(10),
  // Form posts without JavaScript (/report, /check, /check/download), shared by everyone: no
  // per-person key exists. Taken inside those actions, so no spelling of the address evades it.
  NOJS_POSTS_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(60),
  NOJS_POSTS_BURST: z.coerce.number().int().min(1).max(1_000_000).default(20),
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
