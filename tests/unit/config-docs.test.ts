import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { configEnvSchema } from '../../server/config.server'

/**
 * README.md's configuration table and the environment schema the server validates at start must
 * name the same variables, so an operator reading the table sees every knob and no stale one.
 */

const ROOT = path.resolve(import.meta.dirname, '../..')

type Row = { name: string; default: string; meaning: string }

/** The rows of the table under "## Configuration", in README order. */
function readmeRows(): Row[] {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8')
  const start = readme.indexOf('\n## Configuration\n')
  expect(start, 'README.md has a "## Configuration" section').toBeGreaterThan(-1)
  const end = readme.indexOf('\n## ', start + 1)
  const section = readme.slice(start, end === -1 ? undefined : end)
  const rows: Row[] = []
  for (const line of section.split('\n')) {
    const m = line.match(/^\|\s*`([A-Z][A-Z0-9_]*)`\s*\|(.*?)\|(.*)\|\s*$/)
    if (m) rows.push({ name: m[1], default: m[2].trim(), meaning: m[3].trim() })
  }
  return rows
}

const schemaNames = () => Object.keys(configEnvSchema.shape).sort()

describe("README's configuration table", () => {
  it('lists every variable the environment schema reads, and no other', () => {
    const documented = readmeRows().map((r) => r.name)
    expect(new Set(documented).size, 'no variable is listed twice').toBe(documented.length)
    const names = schemaNames()
    expect(names.length).toBeGreaterThan(30)
    expect({ missingFromReadme: names.filter((n) => !documented.includes(n)), notInSchema: documented.filter((n) => !names.includes(n)) }).toEqual({
      missingFromReadme: [],
      notInSchema: [],
    })
  })

  it('gives each one a default and a meaning, and a default written as a value is the one the schema applies', () => {
    const shape = configEnvSchema.shape as Record<string, { safeParse: (v: unknown) => { success: boolean; data?: unknown } }>
    for (const row of readmeRows()) {
      expect(row.default, `${row.name} default`).not.toBe('')
      expect(row.meaning.length, `${row.name} meaning`).toBeGreaterThan(10)
      const applied = shape[row.name]?.safeParse(undefined)
      // Unset variables without a schema default are worked out elsewhere (PUBLIC_URL from the
      // port, CHALLENGE_SECONDS from the login timings), so only their row can say what they become.
      if (applied?.success && applied.data !== undefined) expect(row.default, `${row.name} default`).toBe(`\`${String(applied.data)}\``)
    }
  })

  it('is the only door: no server module reads a variable of the environment by name', () => {
    const readers: string[] = []
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name)
        if (entry.isDirectory()) walk(file)
        else if (/\.tsx?$/.test(entry.name) && /process\.env\s*(\.|\[)/.test(fs.readFileSync(file, 'utf8'))) readers.push(path.relative(ROOT, file))
      }
    }
    walk(path.join(ROOT, 'server'))
    expect(readers, 'read it through the schema in server/config.server.ts instead').toEqual([])
  })
})
