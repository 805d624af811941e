import path from 'node:path'
import { z } from 'zod'
import { abuseConfig, abuseEnvShape, type AbuseConfig } from './abuse-config.server'

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
})

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
}

/** Reads the environment once at start; a bad value stops the server with a clear message. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')
    throw new Error(`Invalid configuration: ${problems}`)
  }
  const c = parsed.data
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
  }
}
