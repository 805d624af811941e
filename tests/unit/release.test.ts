import { beforeAll, describe, expect, it } from 'vitest'
import { newReleaseKey, ready, releasePublicKey, signRelease, verifyRelease } from '#crypto'
import { assetMismatches, manifestText, readSignedRelease, releaseFormOfCsp, type ReleaseCheck, type ReleaseManifest } from '#common/release'
import { sayWith, type Message } from '#common/i18n/message'
import { i18nService } from '../../server/i18n.server'

const i18n = i18nService()
const say = (m: Message, lang = 'en') => sayWith(i18n.translatorFor(lang), m)
/** A refused release file's problem as the operator reads it. */
const problem = (r: ReleaseCheck, lang = 'en') => (r.ok ? 'ok' : say(r.problem, lang))

const H = (c: string) => `sha384-${c.repeat(64)}`
const manifest: ReleaseManifest = {
  v: 2,
  version: '0.1.0',
  commit: 'a'.repeat(40),
  csp: "default-src 'none';script-src 'self' 'nonce-{nonce}'",
  assets: { '/build/entry.client-ABC.js': H('A'), '/build/root-DEF.js': H('B') },
}

let key: ReturnType<typeof newReleaseKey>
beforeAll(async () => {
  await ready()
  key = newReleaseKey()
})

const signed = (m: unknown, sk = key.secretKey) => {
  const text = typeof m === 'string' ? m : JSON.stringify(m)
  return JSON.stringify({ manifest: text, signature: signRelease(text, sk) })
}

describe('release signatures', () => {
  it('a manifest signed by the release key reads back as it was', () => {
    const r = readSignedRelease(signed(manifestText(manifest)), key.publicKey)
    expect(r).toEqual({ ok: true, manifest })
    expect(releasePublicKey(key.secretKey)).toBe(key.publicKey)
  })

  it('another key, or a changed text, is refused', () => {
    const text = manifestText(manifest)
    expect(problem(readSignedRelease(signed(text, newReleaseKey().secretKey), key.publicKey))).toContain('not signed')
    const sig = signRelease(text, key.secretKey)
    expect(verifyRelease(text, sig, key.publicKey)).toBe(true)
    expect(verifyRelease(`${text} `, sig, key.publicKey)).toBe(false)
    expect(verifyRelease(text, sig.slice(0, -2) + (sig.endsWith('AA') ? 'BA' : 'AA'), key.publicKey)).toBe(false)
    expect(verifyRelease(text, 'short', key.publicKey)).toBe(false)
  })

  it('the signature is over a labelled text: a bare Ed25519 signature of the text is refused', async () => {
    const sodium = (await import('libsodium-wrappers')).default
    const text = manifestText(manifest)
    const sk = sodium.from_base64(key.secretKey, sodium.base64_variants.URLSAFE_NO_PADDING)
    const bare = sodium.to_base64(sodium.crypto_sign_detached(text, sk), sodium.base64_variants.URLSAFE_NO_PADDING)
    expect(verifyRelease(text, bare, key.publicKey)).toBe(false)
  })

  // Each field changed after signing (the signature no longer verifies), and each field changed
  // before signing into something malformed (the signature verifies, the schema refuses it).
  const tampers: Array<[string, (m: ReleaseManifest) => unknown]> = [
    ['v', (m) => ({ ...m, v: 1 })],
    ['version', (m) => ({ ...m, version: '0.1.1' })],
    ['commit', (m) => ({ ...m, commit: 'b'.repeat(40) })],
    ['csp', (m) => ({ ...m, csp: `${m.csp} 'unsafe-inline'` })],
    ['an asset hash', (m) => ({ ...m, assets: { ...m.assets, '/build/root-DEF.js': H('C') } })],
    ['an asset added', (m) => ({ ...m, assets: { ...m.assets, '/build/evil.js': H('D') } })],
    ['an asset removed', (m) => ({ ...m, assets: { '/build/root-DEF.js': H('B') } })],
  ]
  for (const [field, tamper] of tampers) {
    it(`tampering with ${field} after signing is refused`, () => {
      const sig = signRelease(manifestText(manifest), key.secretKey)
      const file = JSON.stringify({ manifest: JSON.stringify(tamper(manifest)), signature: sig })
      expect(problem(readSignedRelease(file, key.publicKey))).toContain('not signed')
    })
  }

  const malformed: Array<[string, unknown]> = [
    ['v', { ...manifest, v: 1 }],
    ['version', { ...manifest, version: 'latest' }],
    ['commit', { ...manifest, commit: 'HEAD' }],
    ['csp', { ...manifest, csp: '' }],
    ['an asset path', { ...manifest, assets: { '/build/../x.js': H('A') } }],
    ['an asset hash', { ...manifest, assets: { '/build/x.js': 'sha256-abc' } }],
    ['an extra field', { ...manifest, extra: true }],
  ]
  for (const [field, bad] of malformed) {
    it(`a signed manifest with a malformed ${field} is refused`, () => {
      expect(problem(readSignedRelease(signed(bad), key.publicKey))).toContain('malformed')
    })
  }

  it('files that are not signed manifests are refused in words', () => {
    expect(problem(readSignedRelease('nope', key.publicKey))).toBe('the release file is not JSON')
    expect(readSignedRelease('{"manifest":"{}"}', key.publicKey)).toMatchObject({ ok: false })
    expect(problem(readSignedRelease(signed('not json'), key.publicKey))).toBe('the signed manifest is not JSON')
  })

  it("says its findings in the operator's language: Welsh for a Welsh terminal", () => {
    expect(problem(readSignedRelease('nope', key.publicKey), 'cy')).toBe("nid JSON yw'r ffeil ryddhau")
    const other = readSignedRelease(signed(manifestText(manifest), newReleaseKey().secretKey), key.publicKey)
    expect(problem(other, 'cy')).toBe("nid yw'r maniffest rhyddhau wedi'i lofnodi gan yr allwedd ryddhau a binnwyd")
    expect(problem(readSignedRelease(signed({ ...manifest, v: 1 }), key.publicKey), 'cy')).toMatch(/^mae'r maniffest llofnodedig wedi'i ffurfio'n wael: /)
    expect(assetMismatches(manifest.assets, { '/build/root-DEF.js': H('B') }).map((m) => say(m, 'cy'))).toEqual([
      'mae /build/entry.client-ABC.js yn y maniffest rhyddhau ond ar goll',
    ])
  })
})

describe('comparing a build with a release', () => {
  it('names every missing, changed and extra file', () => {
    expect(assetMismatches(manifest.assets, { ...manifest.assets })).toEqual([])
    const found = { '/build/root-DEF.js': H('C'), '/build/evil.js': H('D') }
    expect(assetMismatches(manifest.assets, found).map((m) => say(m))).toEqual([
      '/build/entry.client-ABC.js is in the release manifest but missing',
      expect.stringContaining('/build/root-DEF.js differs from the release manifest'),
      '/build/evil.js is not in the release manifest',
    ])
  })

  it("a served policy's release form drops the nonce's value and upgrade-insecure-requests only", () => {
    expect(releaseFormOfCsp("default-src 'none';script-src 'self' 'nonce-Ab+/9w==';upgrade-insecure-requests")).toBe(
      "default-src 'none';script-src 'self' 'nonce-{nonce}'",
    )
    expect(releaseFormOfCsp("default-src 'none';script-src 'self' 'unsafe-inline'")).not.toBe("default-src 'none';script-src 'self' 'nonce-{nonce}'")
  })
})
