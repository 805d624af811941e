import fs from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { ServerBuild } from '@remix-run/node'
import { ready } from '#crypto'
import { loadConfig } from './config.server'
import { DamagedDatabase } from './db/damaged.server'
import { createApp } from './http.server'
import { log } from './log.server'
import { assetHashes, checkRelease, ReleaseMismatch } from './release.server'
import { createSetupToken, setupUrl } from './reviewers/setup-tokens.server'
import { openServices } from './services.server'

const root = path.resolve(import.meta.dirname, '..')
const config = loadConfig()
const publicDir = path.join(root, 'public')
// Hashed once: the release check and every page's import map read the same figures.
const assets = assetHashes(publicDir)
// The signature check needs libsodium ready before anything else has readied it.
const release = config.release ? (await ready(), releaseOrExit(config.release)) : undefined
const services = await openServices(config).catch((err: unknown) => {
  // The operator's next step, in words, instead of a stack trace.
  if (err instanceof DamagedDatabase) {
    log.fatal({ msg: err.message })
    process.exit(1)
  }
  throw err
})
const build = (await import(pathToFileURL(path.join(root, 'build/index.js')).href)) as ServerBuild
const app = createApp(services, build, publicDir, { assets, release })

const server = app.listen(config.port, config.host, () => {
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : config.port
  if (!config.publicUrlFromEnv) config.publicUrl = new URL(`http://localhost:${port}`)
  // Tests read this line to find a random port; it names no client and no report. msg goes in the
  // object so pino writes it before url: the tests' regexes expect "msg":"listening","url":….
  log.info({ msg: 'listening', url: `http://localhost:${port}` })
  // Passkeys bind to this address: a production server reached by any other name cannot sign reviewers in.
  if (config.env === 'production' && !config.publicUrlFromEnv)
    log.warn({ msg: 'PUBLIC_URL is not set: reviewer passkeys will only work at http://localhost. Set it to the address people use.' })
  void announceSetupLink()
})

/** A configured release that this build does not match stops the server before it opens anything. */
function releaseOrExit(wanted: { manifestFile: string; publicKey: string }): string {
  const { version } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }
  try {
    const text = checkRelease(wanted, assets, version)
    log.info({ msg: 'release manifest checked: this build is the one it names', manifest: wanted.manifestFile })
    return text
  } catch (err) {
    if (!(err instanceof ReleaseMismatch)) throw err
    log.fatal({ msg: err.message })
    process.exit(1)
  }
}

/** First run: a one-time link for the first reviewer, printed to the operator's console only. */
async function announceSetupLink() {
  if ((await services.reviewers.reviewerCount()) > 0) return
  const url = setupUrl(config.publicUrl, await createSetupToken(services.store, 'system'))
  log.info({ msg: 'first run: open this one-time link to set up the first reviewer (valid 24 h)', url })
}
if ((await services.inboxes.list()).length === 0) log.info('no inbox yet: reports are refused until `npm run admin -- inbox:create NAME`')
const stopRetention = services.retention.schedule(config.retentionSweepMinutes)
const stopDigests = services.digests.schedule(config.digestCheckSeconds)
server.headersTimeout = 20_000
// Without JavaScript a 100 MiB file arrives in one request, over Tor perhaps at 1 Mbit/s: the
// whole request may take long, but a connection that goes quiet for a minute is dropped.
server.requestTimeout = 30 * 60_000
server.setTimeout(60_000)

async function shutdown() {
  stopRetention()
  stopDigests()
  server.close()
  await services.store.close()
  process.exit(0)
}
process.on('SIGINT', shutdown)
process.on('SIGTERM', shutdown)
