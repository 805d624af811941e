import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'

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
