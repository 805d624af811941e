import { spawnSync } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { ROOT } from '../support/server'

/**
 * Two builds of one tree, in two fresh copies at different paths, must give the same bytes in
 * public/build: only then can anyone rebuild a release from its commit and compare the hashes
 * the release manifest names. The copies share one node_modules (a symlink to the real folder,
 * whether the checkout's own is a folder, as in CI, or itself a symlink, as in a worktree), since
 * the dependencies are pinned by package-lock.json, not by this test.
 */
const copies: string[] = []
afterAll(() => {
  for (const dir of copies) fs.rmSync(dir, { recursive: true, force: true })
})

function freshCopy(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'candour-repro-'))
  copies.push(dir)
  const listed = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' })
  if (listed.status !== 0) throw new Error(`git ls-files failed: ${listed.stderr}`)
  for (const file of listed.stdout.split('\0')) {
    if (!file || file === 'node_modules' || file.startsWith('node_modules/')) continue
    const from = path.join(ROOT, file)
    if (!fs.existsSync(from)) continue // deleted in the working tree, not yet in git
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true })
    fs.copyFileSync(from, path.join(dir, file))
  }
  fs.symlinkSync(fs.realpathSync(path.join(ROOT, 'node_modules')), path.join(dir, 'node_modules'), 'dir')
  return dir
}

function build(dir: string) {
  const cli = path.join(dir, 'node_modules/@remix-run/dev/dist/cli.js')
  const r = spawnSync(process.execPath, [cli, 'build'], { cwd: dir, encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production' } })
  if (r.status !== 0) throw new Error(`remix build failed in ${dir}:\n${r.stdout}\n${r.stderr}`)
}

/** Every file under public/build with the SHA-384 of its bytes, by path. */
function hashes(dir: string): Record<string, string> {
  const base = path.join(dir, 'public/build')
  const out: Record<string, string> = {}
  for (const entry of fs.readdirSync(base, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue
    const full = path.join(entry.parentPath, entry.name)
    out[path.relative(base, full)] = crypto.createHash('sha384').update(fs.readFileSync(full)).digest('base64')
  }
  return out
}

describe('reproducible build', () => {
  it('two builds of one tree in two fresh copies give byte-identical public/build', { timeout: 240_000 }, () => {
    const a = freshCopy()
    const b = freshCopy()
    build(a)
    build(b)
    const first = hashes(a)
    const second = hashes(b)
    expect(Object.keys(first).length).toBeGreaterThan(10)
    expect(second).toEqual(first)
  })
})
