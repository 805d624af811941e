import { z } from 'zod'
import { b64Length, RELEASE_PUBLIC_KEY_BYTES, verifyRelease } from '#crypto'
import { t, type Message } from './i18n/message'

/**
 * A release manifest: what one build of one commit serves. Signed by the offline release key
 * (crypto/release.ts) and checked by the server at start, by the public at
 * /.well-known/candour-release.json and by `release:check-site`.
 */
export const RELEASE_MANIFEST_PATH = '/.well-known/candour-release.json'
/** Far more files than a build has; a manifest beyond it is refused before it is read. */
export const RELEASE_MAX_ASSETS = 5000
export const RELEASE_MAX_BYTES = 1024 * 1024

const assetUrl = z
  .string()
  .max(300)
  .regex(/^\/(?:[A-Za-z0-9_$.-]+\/)*[A-Za-z0-9_$.-]+$/, 'an asset path is not a plain /path/to/file')
  .refine((s) => !s.split('/').some((seg) => seg === '.' || seg === '..'), 'an asset path has a . or .. segment')
const sha384 = z.string().regex(/^sha384-[A-Za-z0-9+/]{64}$/, 'an asset hash is not sha384-<64 base64 characters>')

export const releaseManifestSchema = z.strictObject({
  v: z.literal(2),
  /** package.json's version. */
  version: z.string().regex(/^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]{1,40})?$/, 'version is not x.y.z'),
  /** The git commit the build was made from: anyone can rebuild it and compare (reproducible). */
  commit: z.string().regex(/^[0-9a-f]{40}$/, 'commit is not 40 hex digits'),
  /** The Content-Security-Policy, nonce as `{nonce}`, without upgrade-insecure-requests. */
  csp: z.string().min(1).max(4096),
  /** SHA-384 of every file under public/, by the URL it is served at. */
  assets: z.record(assetUrl, sha384).refine((a) => Object.keys(a).length <= RELEASE_MAX_ASSETS, 'too many assets'),
})
export type ReleaseManifest = z.infer<typeof releaseManifestSchema>

/** The file a release ships: the manifest's exact text and the signature over it. */
export const signedReleaseSchema = z.strictObject({
  manifest: z.string().max(RELEASE_MAX_BYTES),
  signature: z.string().regex(/^[A-Za-z0-9_-]{86}$/, 'signature is not 64 bytes of base64url'),
})
export type SignedRelease = z.infer<typeof signedReleaseSchema>

export const releasePublicKeySchema = z
  .string()
  .refine((s) => b64Length(s) === RELEASE_PUBLIC_KEY_BYTES && s.length === 43, 'a release public key is 32 bytes of base64url (43 characters)')

/** The manifest's text, one way: fields in schema order, assets sorted by URL. */
export function manifestText(m: ReleaseManifest): string {
  const assets = Object.fromEntries(Object.entries(m.assets).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
  return JSON.stringify({ v: m.v, version: m.version, commit: m.commit, csp: m.csp, assets }, null, 1)
}

/** problem: a message, so release:check-site says it in the operator's language (the server starts in English). */
export type ReleaseCheck = { ok: true; manifest: ReleaseManifest } | { ok: false; problem: Message }

/** Reads a signed release file and checks it against the pinned key, then its shape. */
export function readSignedRelease(text: string, publicKey: string): ReleaseCheck {
  if (text.length > RELEASE_MAX_BYTES * 2) return { ok: false, problem: t('admin.release.file.tooLarge') }
  let outer: unknown
  try {
    outer = JSON.parse(text)
  } catch {
    return { ok: false, problem: t('admin.release.file.notJson') }
  }
  const signed = signedReleaseSchema.safeParse(outer)
  if (!signed.success) return { ok: false, problem: t('admin.release.file.notSigned', { detail: String(signed.error.issues[0]?.message) }) }
  if (!verifyRelease(signed.data.manifest, signed.data.signature, publicKey)) return { ok: false, problem: t('admin.release.file.wrongKey') }
  let inner: unknown
  try {
    inner = JSON.parse(signed.data.manifest)
  } catch {
    return { ok: false, problem: t('admin.release.file.manifestNotJson') }
  }
  const manifest = releaseManifestSchema.safeParse(inner)
  if (!manifest.success) return { ok: false, problem: t('admin.release.file.malformed', { detail: String(manifest.error.issues[0]?.message) }) }
  return { ok: true, manifest: manifest.data }
}

/** What differs between the assets a manifest names and the ones found, one message each (empty: none). */
export function assetMismatches(expected: Record<string, string>, found: Record<string, string>): Message[] {
  const out: Message[] = []
  for (const [url, hash] of Object.entries(expected)) {
    if (!(url in found)) out.push(t('admin.site.assetMissing', { url }))
    else if (found[url] !== hash) out.push(t('admin.site.assetDiffers', { url, found: found[url]!, released: hash }))
  }
  for (const url of Object.keys(found)) if (!(url in expected)) out.push(t('admin.site.assetExtra', { url }))
  return out
}

/** A served policy in the form a manifest records: the nonce back to its slot, no upgrade-insecure-requests. */
export function releaseFormOfCsp(policy: string): string {
  return policy
    .split(';')
    .map((d) => d.trim())
    .filter((d) => d && d !== 'upgrade-insecure-requests')
    .join(';')
    .replace(/'nonce-[A-Za-z0-9+/=]+'/g, "'nonce-{nonce}'")
}
