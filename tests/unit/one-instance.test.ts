import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

/**
 * One copy of the server at run time: the Remix server bundle (build/index.js, made by
 * `remix build` before the suite runs) must reach server code only through context.services,
 * and the shared floor and crypto/ only through their #common/* and #crypto imports, which stay
 * external so the bundle shares the server's own instances. The browser bundle must hold nothing
 * that only the server may run.
 */
const ROOT = path.resolve(import.meta.dirname, '../..')
const SERVER_BUILD = path.join(ROOT, 'build/index.js')
const BROWSER_BUILD = path.join(ROOT, 'public/build')

const walk = (dir: string): string[] =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]))

/** esbuild heads each module it inlines with a `// path` comment (the server build is not minified). */
export const inlinedModules = (bundle: string) => [...bundle.matchAll(/^\/\/ ((?:app|server|common|crypto)\/\S+)$/gm)].map((m) => m[1])

describe('one instance of every module at run time', () => {
  const bundle = fs.readFileSync(SERVER_BUILD, 'utf8')

  it('the server bundle carries no module of server/, common/ or crypto/', () => {
    const inlined = inlinedModules(bundle)
    expect(inlined.length).toBeGreaterThan(10) // the routes themselves are inlined: the check sees modules
    expect(inlined.filter((m) => !m.startsWith('app/'))).toEqual([])
  })

  it('it imports them only by their shared names, and server code not at all', () => {
    const specs = [...bundle.matchAll(/^import [^'"]*from "([^"]+)";$/gm)].map((m) => m[1])
    expect(specs.some((s) => s.startsWith('#common/'))).toBe(true)
    expect(specs.filter((s) => s.startsWith('.') || s.startsWith('/') || s.startsWith('#server/'))).toEqual([])
  })

  it('the browser bundle holds no server-only code', () => {
    const files = walk(BROWSER_BUILD).filter((f) => f.endsWith('.js'))
    expect(files.length).toBeGreaterThan(10)
    // Marks of sqlite3, the store, pino and Node's own modules: none belongs in a page.
    const marks = [/\bsqlite3\b/, /BEGIN IMMEDIATE/, /wal_checkpoint/, /\bpino\b/, /"node:[a-z_]+"/, /secure_delete/]
    const found = files.flatMap((f) => {
      const js = fs.readFileSync(f, 'utf8')
      return marks.filter((m) => m.test(js)).map((m) => `${path.relative(BROWSER_BUILD, f)}: ${m}`)
    })
    expect(found).toEqual([])
  })
})
