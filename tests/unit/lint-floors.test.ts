import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { ESLint } from 'eslint'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

/**
 * The floors of the house are lint rules: each snippet below breaks one, is linted with the
 * project's own config as if it sat at that path, and must be refused by the rule that guards it.
 * The imported targets are files that stay put (entries and indexes), so moving modules between
 * floors does not quietly turn a rule into one that resolves nothing and never fires.
 */
const ROOT = path.resolve(import.meta.dirname, '../..')
const CONFIG = path.join(ROOT, 'eslint.config.js')
const eslint = new ESLint({ cwd: ROOT, overrideConfigFile: CONFIG })

async function rulesFired(code: string, filePath: string, linter = eslint): Promise<string[]> {
  const [result] = await linter.lintText(code, { filePath: path.join(linter === eslint ? ROOT : fixtureDir, filePath) })
  expect(result.messages.filter((m) => m.fatal)).toEqual([])
  return result.messages.map((m) => m.ruleId ?? 'fatal')
}

describe('the floors', () => {
  it('crypto/ imports nothing of ours: not server/, not app/ through the ~ alias', async () => {
    expect(await rulesFired(`import '../server/index'\n`, 'crypto/floor-probe.ts')).toContain('import-x/no-restricted-paths')
    expect(await rulesFired(`import App from '~/root'\nexport const x = App\n`, 'crypto/floor-probe.ts')).toContain('import-x/no-restricted-paths')
  })

  it('crypto/ takes no packages but libsodium and zod', async () => {
    expect(await rulesFired(`import fs from 'node:fs'\nexport const x = fs\n`, 'crypto/floor-probe.ts')).toContain('no-restricted-imports')
    expect(
      await rulesFired(
        `import _sodium from 'libsodium-wrappers'\nimport { toB64 } from './index'\nexport const x = [_sodium, toB64]\n`,
        'crypto/floor-probe.ts',
      ),
    ).toEqual([])
  })

  it('common/ imports only crypto/ and itself', async () => {
    expect(await rulesFired(`import '../server/index'\n`, 'common/floor-probe.ts')).toContain('import-x/no-restricted-paths')
    expect(await rulesFired(`import App from '../app/root'\nexport const x = App\n`, 'common/floor-probe.ts')).toContain('import-x/no-restricted-paths')
    expect(await rulesFired(`import sqlite3 from 'sqlite3'\nexport const x = sqlite3\n`, 'common/floor-probe.ts')).toContain('no-restricted-imports')
    expect(await rulesFired(`import { toB64 } from '../crypto/index'\nexport const x = toB64\n`, 'common/floor-probe.ts')).toEqual([])
  })

  it('server/ never imports app/, not even a type', async () => {
    expect(await rulesFired(`import App from '../app/root'\nexport const x = App\n`, 'server/floor-probe.ts')).toContain('import-x/no-restricted-paths')
    expect(await rulesFired(`import type { links } from '../app/root'\nexport type X = typeof links\n`, 'server/floor-probe.ts')).toContain(
      'import-x/no-restricted-paths',
    )
  })

  it('app/ takes only types from server/', async () => {
    const value = `import { createApp } from '../../server/http.server'\nexport const x = createApp\n`
    expect(await rulesFired(value, 'app/routes/floor-probe.ts')).toContain('@typescript-eslint/no-restricted-imports')
    const mixed = `import { createApp, type AppLoadContext } from '../../server/http.server'\nexport const x: [typeof createApp, AppLoadContext?] = [createApp]\n`
    expect(await rulesFired(mixed, 'app/routes/floor-probe.ts')).toContain('@typescript-eslint/no-restricted-imports')
  })

  it('a type import from server/ into app/ is fine, in either spelling, and so is a package named server', async () => {
    const inline = `import { type AppLoadContext } from '../../server/http.server'\nexport type X = AppLoadContext\n`
    expect(await rulesFired(inline, 'app/routes/floor-probe.ts')).toEqual([])
    const whole = `import type { AppLoadContext } from '../../server/http.server'\nexport type X = AppLoadContext\n`
    expect(await rulesFired(whole, 'app/routes/floor-probe.ts')).toEqual([])
    const pkg = `import { renderToPipeableStream } from 'react-dom/server'\nexport const x = renderToPipeableStream\n`
    expect(await rulesFired(pkg, 'app/entry.floor-probe.tsx')).toEqual([])
  })

  it('tests may reach every floor', async () => {
    const code = `import { createApp } from '../../server/http.server'\nimport App from '../../app/root'\nexport const x = [createApp, App]\n`
    expect(await rulesFired(code, 'tests/unit/floor-probe.ts')).toEqual([])
  })
})

// A cycle needs both files on disk, so it is built in a scratch tree linted with the same config.
let fixtureDir: string
let fixtureLint: ESLint

describe('no cycles', () => {
  beforeAll(() => {
    fixtureDir = fs.mkdtempSync(path.join(os.tmpdir(), 'candour-lint-'))
    fs.mkdirSync(path.join(fixtureDir, 'server'))
    fs.writeFileSync(path.join(fixtureDir, 'server/a.ts'), `import { b } from './b'\nexport const a = () => b()\n`)
    fs.writeFileSync(path.join(fixtureDir, 'server/b.ts'), `import { a } from './a'\nexport const b = () => a()\n`)
    fs.writeFileSync(path.join(fixtureDir, 'server/e.ts'), `import type { F } from './f'\nexport const e = 1\nexport type E = F\n`)
    fs.writeFileSync(path.join(fixtureDir, 'server/f.ts'), `import { e } from './e'\nexport type F = typeof e\n`)
    fixtureLint = new ESLint({ cwd: fixtureDir, overrideConfigFile: CONFIG })
  })
  afterAll(() => fs.rmSync(fixtureDir, { recursive: true, force: true }))

  it('a value import that closes a loop is refused', async () => {
    const code = fs.readFileSync(path.join(fixtureDir, 'server/a.ts'), 'utf8')
    expect(await rulesFired(code, 'server/a.ts', fixtureLint)).toContain('import-x/no-cycle')
  })

  it('a loop closed by a type import is no cycle: types are erased', async () => {
    const code = fs.readFileSync(path.join(fixtureDir, 'server/e.ts'), 'utf8')
    expect(await rulesFired(code, 'server/e.ts', fixtureLint)).toEqual([])
  })
})
