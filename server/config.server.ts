import path from 'node:path'
import { z } from 'zod'
import { abuseConfig, abuseEnvShape, budgetConfig, type AbuseConfig } from './abuse-config.server'
import type { BudgetConfig } from './budgets.server'

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]

const schema = z.object({
  ...abuseEnvShape,
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  PUBLIC_URL: z.url().optional(),
  // Where quick exit goes: a neutral, busy site. A link, never fetched by our pages.
  QUICK_EXIT_URL: z.url().default('https://www.bbc.co.uk/weather'),
  CHALLENGE_SECONDS: z.coerce.number().int().min(1).max(600).optional(),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  // Evidence files: the largest file and how many may go with one message (stated on the pages).
  FILE_MAX_MIB: z.coerce.number().int().min(1).max(2048).default(100),
  FILES_PER_MESSAGE: z.coerce.number().int().min(0).max(50).default(10),
  // How often closed reports past their retention period are looked for and deleted.
  RETENTION_SWEEP_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(60),
  // The portal's .onion address: pages then carry Onion-Location so Tor Browser offers it.
  ONION_URL: z
    .url()
    .refine((u) => /^https?:\/\/[a-z2-7]{56}\.onion\/?$/.test(u), 'must be http(s)://<56-character v3 address>.onion with no path')
    .optional(),
  // Where digests are sent from (digest.server.ts). It holds a password: never log it or echo it.
  // Empty counts as unset, so `Environment=SMTP_URL=` in a unit file turns digests off.
  SMTP_URL: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.url({ protocol: /^smtps?$/, error: 'must be smtp://user:password@host:port or smtps://…' }).optional(),
  ),
  DIGEST_FROM: z
    .string()
    .min(3)
    .max(200)
    .refine((s) => !/[\r\n]/.test(s), 'must be one line')
    .default('Candour <no-reply@localhost>'),
  DIGEST_CHECK_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60 * 60)
    .default(300),
  // A signed release manifest (release:sign) and the release key's public half, both or neither:
  // the server then starts only on the build the manifest names, and serves the manifest.
  RELEASE_MANIFEST: z.string().min(1).optional(),
  RELEASE_PUBLIC_KEY: z
    .string()
    .regex(/^[A-Za-z0-9_-]{43}$/, 'must be the 43-character public key release:keygen printed')
    .optional(),
})

/** The environment schema itself, so a test can hold README.md's configuration table to it. */
export const configEnvSchema = schema

export type Config = {
  env: 'development' | 'production' | 'test'
  port: number
  host: string
  dataDir: string
  dbFile: string
  /** Where people reach the portal; without PUBLIC_URL, http://localhost:<the port we got>. */
  publicUrl: URL
  publicUrlFromEnv: boolean
  quickExitUrl: string
  challengeSeconds?: number
  abuse: AbuseConfig
  /** What uploads and reporter sessions may cost (decision 20). */
  budgets: BudgetConfig
  logLevel: LogLevel
  retentionSweepMinutes: number
  files: { maxBytes: number; perMessage: number }
  /** Origin of the onion service, no trailing slash, when ONION_URL is set. */
  onionOrigin?: string
  /** SMTP server for reviewers' email digests; digests are off without it. Holds a password. */
  smtpUrl?: string
  digestFrom: string
  digestCheckSeconds: number
  /** The signed release manifest to hold the build to, and the key it must be signed by. */
  release?: { manifestFile: string; publicKey: string }
}

/** LOG_LEVEL alone, for the logger, which the Remix build loads apart from the rest of the config. */
export function logLevelFrom(env: NodeJS.ProcessEnv = process.env): LogLevel {
  const parsed = schema.shape.LOG_LEVEL.safeParse(env.LOG_LEVEL)
  if (!parsed.success) throw new Error(`Invalid configuration: LOG_LEVEL: must be one of ${LOG_LEVELS.join(', ')}`)
  return parsed.data
}

/** Reads the environment once at start; a bad value stops the server with a clear message. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')
    throw new Error(`Invalid configuration: ${problems}`)
  }
  const c = parsed.data
  if ((c.RELEASE_MANIFEST === undefined) !== (c.RELEASE_PUBLIC_KEY === undefined))
    throw new Error('Invalid configuration: RELEASE_MANIFEST and RELEASE_PUBLIC_KEY go together: set both, or neither')
  const dataDir = path.resolve(c.DATA_DIR)
  return {
    env: c.NODE_ENV,
    port: c.PORT,
    host: c.HOST,
    dataDir,
    dbFile: path.join(dataDir, 'candour.sqlite'),
    publicUrl: new URL(c.PUBLIC_URL ?? `http://localhost:${c.PORT}`),
    publicUrlFromEnv: c.PUBLIC_URL !== undefined,
    quickExitUrl: c.QUICK_EXIT_URL,
    challengeSeconds: c.CHALLENGE_SECONDS,
    abuse: abuseConfig(c),
    budgets: budgetConfig(c),
    logLevel: c.LOG_LEVEL,
    retentionSweepMinutes: c.RETENTION_SWEEP_MINUTES,
    files: { maxBytes: c.FILE_MAX_MIB * 1024 * 1024, perMessage: c.FILES_PER_MESSAGE },
    onionOrigin: c.ONION_URL === undefined ? undefined : new URL(c.ONION_URL).origin,
    smtpUrl: c.SMTP_URL,
    digestFrom: c.DIGEST_FROM,
    digestCheckSeconds: c.DIGEST_CHECK_SECONDS,
    release: c.RELEASE_MANIFEST && c.RELEASE_PUBLIC_KEY ? { manifestFile: path.resolve(c.RELEASE_MANIFEST), publicKey: c.RELEASE_PUBLIC_KEY } : undefined,
  }
}
