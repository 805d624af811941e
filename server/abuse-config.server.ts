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
  LOGIN_ATTEMPTS_PER_HOUR: z.coerce.number().int().min(1).max(10_000).default(10),
  // Form posts without JavaScript (/report, /check), shared by everyone: no per-person key exists.
  NOJS_POSTS_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(60),
  NOJS_POSTS_BURST: z.coerce.number().int().min(1).max(1_000_000).default(20),
}

export type AbuseConfig = {
  powBaseBits: number
  powMaxBits: number
  powBusyPerMinute: number
  powStepPerMinute: number
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
    loginAttemptsPerHour: c.LOGIN_ATTEMPTS_PER_HOUR,
    noJsPostsPerMinute: c.NOJS_POSTS_PER_MINUTE,
    noJsPostsBurst: c.NOJS_POSTS_BURST,
  }
}
