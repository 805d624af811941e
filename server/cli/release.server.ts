import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { z } from 'zod'
import { newReleaseKey, releasePublicKey, signRelease } from '#crypto'
import { Refusal, t } from '#common/i18n/message'
import { manifestText, releaseManifestSchema, type ReleaseManifest } from '#common/release'
import { RELEASE_CSP } from '../csp.server'
import { assetHashes } from '../release.server'

/**
 * Making a release: an offline Ed25519 key (release:keygen), and a signed manifest of one build
 * (release:sign), which the operator ships beside it and the server checks at start.
 */
const ROOT = path.resolve(import.meta.dirname, '../..')

const keyFileSchema = z.strictObject({
  kind: z.literal('candour-release-key'),
  v: z.literal(2),
  publicKey: z.string(),
  secretKey: z.string().regex(/^[A-Za-z0-9_-]{86}$/),
})

export function releaseKeygen(out: string | undefined): string {
  if (!out) throw new Refusal(t('admin.release.needsOut'))
  const key = newReleaseKey()
  // 'wx': never overwrite a key; 0600: readable by the operator only.
  fs.writeFileSync(out, JSON.stringify({ kind: 'candour-release-key', v: 2, ...key }, null, 2) + '\n', { flag: 'wx', mode: 0o600 })
  return key.publicKey
}

function readReleaseKey(file: string): string {
  let parsed: z.infer<typeof keyFileSchema> | undefined
  try {
    parsed = keyFileSchema.parse(JSON.parse(fs.readFileSync(file, 'utf8')))
  } catch {
    throw new Refusal(t('admin.release.notKeyFile', { file }))
  }
  if (releasePublicKey(parsed.secretKey) !== parsed.publicKey) throw new Refusal(t('admin.release.keyMismatch', { file }))
  return parsed.secretKey
}

/** The commit being released, refusing a tree with changes git does not hold (its build could not be remade from the commit). */
function headCommit(): string {
  const git = (args: string[]) => spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' })
  const head = git(['rev-parse', 'HEAD'])
  if (head.status !== 0) throw new Refusal(t('admin.release.notGit'))
  // node_modules may be a symlink in a worktree; it is the dependencies, not the tree.
  const changed = git(['status', '--porcelain'])
    .stdout.split('\n')
    .filter((l) => l.trim() && !/^\?\? node_modules$/.test(l))
  if (changed.length > 0) throw new Refusal(t('admin.release.uncommitted', { file: changed[0]!.slice(3) }))
  return head.stdout.trim()
}

export type SignOptions = { key?: string; out?: string; commit?: string; publicDir?: string }

/** Hashes the built public/ folder, signs the manifest and writes it; returns where. */
export function releaseSign(opts: SignOptions): { file: string; manifest: ReleaseManifest } {
  if (!opts.key) throw new Refusal(t('admin.release.signNeedsKey'))
  const secretKey = readReleaseKey(opts.key)
  const publicDir = opts.publicDir ?? path.join(ROOT, 'public')
  const assets = assetHashes(publicDir)
  if (!Object.keys(assets).some((url) => url.startsWith('/build/'))) throw new Refusal(t('admin.release.noBuild', { dir: publicDir }))
  const version = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version
  const commit = opts.commit ?? headCommit()
  const manifest = releaseManifestSchema.parse({ v: 2, version, commit, csp: RELEASE_CSP, assets })
  const text = manifestText(manifest)
  const file = path.resolve(opts.out ?? `candour-release-${version}.json`)
  fs.writeFileSync(file, JSON.stringify({ manifest: text, signature: signRelease(text, secretKey) }, null, 2) + '\n')
  return { file, manifest }
}
