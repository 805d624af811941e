import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startAdversary, type Adversary, type Rewrite } from '../hostile/adversary'
import { admin, adminAsync, tempDataDir } from '../support/server'

/**
 * release:check-site against the real server held to a signed release, told the truth and then
 * behind the adversary, which serves a script or a page that is not the released one.
 */
const dir = tempDataDir('candour-check-site-')
const keyFile = path.join(dir, 'release.key')
const manifestFile = path.join(dir, 'release.json')
let publicKey = ''
let adv: Adversary

beforeAll(async () => {
  publicKey = admin(dir, ['release:keygen', '--out', keyFile]).stdout.trim().split('\n').at(-1)!
  const signed = admin(dir, ['release:sign', '--key', keyFile, '--out', manifestFile, '--commit', 'd'.repeat(40)])
  expect(signed.code, signed.stderr).toBe(0)
  adv = await startAdversary({ env: { RELEASE_MANIFEST: manifestFile, RELEASE_PUBLIC_KEY: publicKey } })
})

afterAll(async () => {
  await adv?.stop()
  if (adv) fs.rmSync(adv.server.dataDir, { recursive: true, force: true })
  fs.rmSync(dir, { recursive: true, force: true })
})

const check = (key = publicKey, ...more: string[]) => adminAsync(dir, ['release:check-site', adv.url, `--release-key=${key}`, ...more])

/** Rewrites the HTML of one page. */
const onPage =
  (page: string, edit: (html: string) => string): Rewrite =>
  (a) =>
    a.method === 'GET' && a.url.split('?')[0] === page && String(a.headers['content-type']).startsWith('text/html') ? edit(a.body.toString('utf8')) : undefined

describe('release:check-site', () => {
  it('passes a site that serves the signed release', async () => {
    adv.lie(undefined)
    const r = await check()
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^OK: .* serves release 0\.1\.0 \(d{40}\): 4 pages and \d+ files checked\./)
  })

  it('fails when a script’s bytes are swapped, naming the file', async () => {
    adv.lie((a) => (/^\/build\/entry\.client-[A-Z0-9]+\.js$/.test(a.url) ? Buffer.concat([Buffer.from('alert(1);'), a.body]) : undefined))
    const r = await check()
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/MISMATCH: .* is not serving the signed release/)
    expect(r.stderr).toMatch(/\/build\/entry\.client-[A-Z0-9]+\.js differs from the release manifest/)
    // In Welsh the findings are Welsh too; the prefix scripts read is not.
    const cy = await check(publicKey, '--lang', 'cy')
    expect(cy.code).toBe(1)
    expect(cy.stderr).toMatch(/^MISMATCH: Nid yw .* yn gweini'r rhyddhad llofnodedig:/)
    expect(cy.stderr).toMatch(/mae \/build\/entry\.client-[A-Z0-9]+\.js yn wahanol i'r maniffest rhyddhau \(sha384-/)
    expect(cy.stderr).not.toContain('differs')
  })

  it('fails when a page names a script that is not in the manifest', async () => {
    adv.lie(onPage('/report', (html) => html.replace('</head>', '<script src="/build/extra.js"></script></head>')))
    const r = await check()
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('/report: script /build/extra.js is not in the release manifest')
  })

  it('fails when a page carries an inline script of the server’s own, or an import map with another hash', async () => {
    adv.lie(onPage('/check', (html) => html.replace(/(<script nonce="[^"]*">)/, '$1fetch("/x");')))
    expect((await check()).stderr).toMatch(/\/check: an inline script holds code a release does not: "fetch/)
    adv.lie(onPage('/', (html) => html.replace(/("\/build\/root-[A-Z0-9]+\.js":"sha384-)./, '$1Q')))
    expect((await check()).stderr).toMatch(/\/: its import map names \/build\/root-[A-Z0-9]+\.js as sha384-Q/)
  })

  it('fails when a preload carries no integrity, or the policy is loosened', async () => {
    adv.lie(onPage('/safer', (html) => html.replace(/ integrity="sha384-[^"]*"/, '')))
    expect((await check()).stderr).toMatch(/\/safer: link \/build\/.* carries integrity none/)
    adv.lie((a) => {
      if (a.url !== '/report') return undefined
      a.headers['content-security-policy'] = String(a.headers['content-security-policy']).replace("'self'", "'self' 'unsafe-inline'")
      return a.body
    })
    expect((await check()).stderr).toContain('/report: its Content-Security-Policy is not the released one')
  })

  it('fails on a manifest not signed by the pinned key, or a forged one', async () => {
    adv.lie(undefined)
    const other = admin(dir, ['release:keygen', '--out', path.join(dir, 'other.key')])
      .stdout.trim()
      .split('\n')
      .at(-1)!
    const r = await check(other)
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('not signed by the pinned release key')
    const cy = await check(other, '--lang', 'cy')
    expect(cy.stderr).toContain("/.well-known/candour-release.json: nid yw'r maniffest rhyddhau wedi'i lofnodi gan yr allwedd ryddhau a binnwyd")
    // One key in 64 begins with "-"; it is still read as the key, never as another option.
    expect((await check(`-${other.slice(1)}`)).stderr).toContain('not signed by the pinned release key')
    adv.lie((a) => (a.url === '/.well-known/candour-release.json' ? a.body.toString('utf8').replace('dddd', 'eeee') : undefined))
    expect((await check()).stderr).toContain('not signed by the pinned release key')
  })
})
