import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ready, signRelease } from '#crypto'
import { manifestText, RELEASE_MANIFEST_PATH, releaseManifestSchema } from '#common/release'
import { admin, startServer, tempDataDir, type RunningServer } from '../support/server'

/**
 * A release made with the admin commands, and a server held to it: it starts on the build the
 * manifest names and serves the manifest; any other build, key or manifest stops it in words.
 */
const dir = tempDataDir('candour-release-')
const keyFile = path.join(dir, 'release.key')
const manifestFile = path.join(dir, 'release.json')
let publicKey = ''
const running: RunningServer[] = []

beforeAll(async () => {
  await ready()
  const made = admin(dir, ['release:keygen', '--out', keyFile])
  expect(made.code, made.stderr).toBe(0)
  publicKey = made.stdout.trim().split('\n').at(-1)!
  expect(publicKey).toMatch(/^[A-Za-z0-9_-]{43}$/)
  const signed = admin(dir, ['release:sign', '--key', keyFile, '--out', manifestFile, '--commit', 'c'.repeat(40)])
  expect(signed.code, signed.stderr).toBe(0)
  expect(signed.stdout).toContain('Signed release')
})

afterAll(async () => {
  for (const s of running) await s.stop()
  fs.rmSync(dir, { recursive: true, force: true })
})

const start = async (env: Record<string, string>) => {
  const s = await startServer({ dataDir: tempDataDir(), env })
  running.push(s)
  return s
}
/** The server's exit message when it refuses to start. */
const refusal = (env: Record<string, string>) =>
  start(env).then(
    () => 'started',
    (err: Error) => err.message,
  )

/** A manifest signed by the real key whose contents were changed before signing. */
function resigned(edit: (m: ReturnType<typeof releaseManifestSchema.parse>) => void): string {
  const file = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as { manifest: string }
  const manifest = releaseManifestSchema.parse(JSON.parse(file.manifest))
  edit(manifest)
  const text = manifestText(manifest)
  const secretKey = (JSON.parse(fs.readFileSync(keyFile, 'utf8')) as { secretKey: string }).secretKey
  const out = path.join(dir, `edited-${Math.random().toString(36).slice(2)}.json`)
  fs.writeFileSync(out, JSON.stringify({ manifest: text, signature: signRelease(text, secretKey) }))
  return out
}

describe('release:keygen and release:sign', () => {
  it('the key file is the operator’s alone and is never overwritten', () => {
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600)
    const again = admin(dir, ['release:keygen', '--out', keyFile])
    expect(again.code).not.toBe(0)
  })

  it('the manifest names every built file with its SHA-384, the version, the commit and the CSP', () => {
    const file = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as { manifest: string }
    const m = releaseManifestSchema.parse(JSON.parse(file.manifest))
    expect(m.commit).toBe('c'.repeat(40))
    expect(m.csp).toContain("script-src 'self' 'nonce-{nonce}'")
    const entry = Object.keys(m.assets).find((u) => /^\/build\/entry\.client-/.test(u))!
    expect(m.assets[entry]).toMatch(/^sha384-/)
  })

  it('refuses a key file that is not one', () => {
    fs.writeFileSync(path.join(dir, 'junk.key'), '{}')
    const r = admin(dir, ['release:sign', '--key', path.join(dir, 'junk.key'), '--out', path.join(dir, 'x.json'), '--commit', 'c'.repeat(40)])
    expect(r.code).not.toBe(0)
    expect(r.stderr).toContain('not a Candour release key file')
  })
})

describe('a server held to a release', () => {
  it('starts on the build the manifest names and serves the manifest as signed', async () => {
    const s = await start({ RELEASE_MANIFEST: manifestFile, RELEASE_PUBLIC_KEY: publicKey })
    const res = await fetch(`${s.url}${RELEASE_MANIFEST_PATH}`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^application\/json/)
    expect(await res.text()).toBe(fs.readFileSync(manifestFile, 'utf8'))
  })

  it('without a release configured there is no manifest to serve', async () => {
    const s = await start({})
    expect((await fetch(`${s.url}${RELEASE_MANIFEST_PATH}`)).status).toBe(404)
  })

  it('refuses to start on a build whose files differ from the manifest', async () => {
    const changed = resigned((m) => {
      const url = Object.keys(m.assets).find((u) => /^\/build\/root-/.test(u))!
      m.assets[url] = `sha384-${'A'.repeat(64)}`
    })
    const message = await refusal({ RELEASE_MANIFEST: changed, RELEASE_PUBLIC_KEY: publicKey })
    expect(message).toMatch(/server exited with 1/)
    expect(message).toMatch(/Not starting: this build does not match the release manifest .*\/build\/root-[A-Z0-9]+\.js differs/)
  })

  it('refuses to start when the build has a file the manifest does not name', async () => {
    const fewer = resigned((m) => {
      delete m.assets[Object.keys(m.assets).find((u) => /^\/build\/manifest-/.test(u))!]
    })
    expect(await refusal({ RELEASE_MANIFEST: fewer, RELEASE_PUBLIC_KEY: publicKey })).toMatch(/\/build\/manifest-[A-Z0-9]+\.js is not in the release manifest/)
  })

  it('refuses to start on another version or CSP', async () => {
    expect(await refusal({ RELEASE_MANIFEST: resigned((m) => void (m.version = '9.9.9')), RELEASE_PUBLIC_KEY: publicKey })).toMatch(/it is release 9\.9\.9/)
    expect(await refusal({ RELEASE_MANIFEST: resigned((m) => void (m.csp += " 'unsafe-inline'")), RELEASE_PUBLIC_KEY: publicKey })).toMatch(
      /Content-Security-Policy differs/,
    )
  })

  it('refuses a manifest signed by another key, an unreadable one, or half the configuration', async () => {
    const other = path.join(dir, 'other.key')
    const otherKey = admin(dir, ['release:keygen', '--out', other]).stdout.trim().split('\n').at(-1)!
    expect(await refusal({ RELEASE_MANIFEST: manifestFile, RELEASE_PUBLIC_KEY: otherKey })).toMatch(/not signed by the pinned release key/)
    expect(await refusal({ RELEASE_MANIFEST: path.join(dir, 'missing.json'), RELEASE_PUBLIC_KEY: publicKey })).toMatch(/cannot be read \(ENOENT\)/)
    expect(await refusal({ RELEASE_MANIFEST: manifestFile })).toMatch(/RELEASE_MANIFEST and RELEASE_PUBLIC_KEY go together/)
  })
})
