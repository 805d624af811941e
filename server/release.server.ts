import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { DEFAULT_LANG } from '#common/i18n/lang-url'
import { sayWith, type Message } from '#common/i18n/message'
import { assetMismatches, readSignedRelease } from '#common/release'
import { RELEASE_CSP } from './csp.server'
import { i18nService } from './i18n.server'

/** Subresource integrity of some bytes, in the form browsers check: `sha384-` and standard base64. */
export function sri(bytes: Uint8Array): string {
  return `sha384-${crypto.createHash('sha384').update(bytes).digest('base64')}`
}

/**
 * The SHA-384 of every file the server serves from `public/`, by its URL path (`/build/…`), in
 * sorted order: what a release manifest names, and where a page's import map takes its hashes.
 */
export function assetHashes(publicDir: string): Record<string, string> {
  const out: Record<string, string> = {}
  if (!fs.existsSync(publicDir)) return out
  const files = fs
    .readdirSync(publicDir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name))
  const urls = files.map((f) => ({ f, url: `/${path.relative(publicDir, f).split(path.sep).join('/')}` }))
  urls.sort((a, b) => (a.url < b.url ? -1 : a.url > b.url ? 1 : 0))
  for (const { f, url } of urls) out[url] = sri(fs.readFileSync(f))
  return out
}

/** The part of the asset hashes a page names: its scripts and styles. */
export function pageIntegrity(assets: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(assets).filter(([url]) => /\.(m?js|css)$/.test(url)))
}

/** The server was asked to run a build other than the released one, or the release is not genuine. */
export class ReleaseMismatch extends Error {}

/**
 * At start, with a release configured: the manifest must be signed by the pinned key, name this
 * version and this CSP, and name exactly the files in public/ with exactly these bytes. Returns
 * the signed file's text, which the server then serves as it is.
 */
export function checkRelease(release: { manifestFile: string; publicKey: string }, assets: Record<string, string>, version: string): string {
  let text: string
  try {
    text = fs.readFileSync(release.manifestFile, 'utf8')
  } catch (err) {
    throw new ReleaseMismatch(`RELEASE_MANIFEST ${release.manifestFile} cannot be read (${(err as NodeJS.ErrnoException).code}).`)
  }
  const read = readSignedRelease(text, release.publicKey)
  // The server's log is English; the same findings are the operator's language in release:check-site.
  const english = (m: Message) => sayWith(i18nService().translatorFor(DEFAULT_LANG), m)
  const stop = (why: string) => new ReleaseMismatch(`Not starting: this build does not match the release manifest ${release.manifestFile}: ${why}.`)
  if (!read.ok) throw stop(english(read.problem))
  const { manifest } = read
  if (manifest.version !== version) throw stop(`it is release ${manifest.version}, and this is ${version}`)
  if (manifest.csp !== RELEASE_CSP) throw stop('its Content-Security-Policy differs from the one this server sends')
  const problems = assetMismatches(manifest.assets, assets)
  if (problems.length > 0) throw stop(`${problems.length} file(s) differ; the first: ${english(problems[0]!)}`)
  return text
}
