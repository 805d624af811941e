import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

/**
 * The catalogues and the code agree exactly: every key the code names is in every language,
 * every key in a catalogue is named somewhere in the code, and each key has the same
 * placeholders ({{x}}) and tags (<strong>) in every language. Keys are string literals in
 * t('…') or i18nKey="…", so this scan is the whole truth; a t() with anything else fails here.
 */
const ROOT = path.resolve(import.meta.dirname, '../..')
const DIR = path.join(ROOT, 'common/i18n')
const SOURCES = ['app', 'common', 'server']

type Tree = { [k: string]: string | Tree }

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>()
  for (const [k, v] of Object.entries(tree)) {
    if (!prefix && k.startsWith('_')) continue // notes: the language's own name, the review note
    const key = prefix ? `${prefix}.${k}` : k
    if (typeof v === 'string') out.set(key, v)
    else for (const [kk, vv] of flatten(v, key)) out.set(kk, vv)
  }
  return out
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name)
    if (e.isDirectory()) return sourceFiles(p)
    return /\.(ts|tsx)$/.test(e.name) ? [p] : []
  })
}

const catalogues = Object.fromEntries(
  fs
    .readdirSync(DIR)
    .filter((f) => /^[a-z]{2,3}\.json$/.test(f))
    .map((f) => [f.replace('.json', ''), JSON.parse(fs.readFileSync(path.join(DIR, f), 'utf8')) as Tree & { _language?: unknown }]),
)
const flat = Object.fromEntries(Object.entries(catalogues).map(([lang, c]) => [lang, flatten(c)]))

const files = SOURCES.flatMap((d) => sourceFiles(path.join(ROOT, d)))
const used = new Map<string, string>()
const dynamic: string[] = []
for (const file of files) {
  const text = fs.readFileSync(file, 'utf8')
  const rel = path.relative(ROOT, file)
  for (const m of text.matchAll(/\bt\(\s*'([^']*)'|i18nKey="([^"]*)"/g)) used.set(m[1] ?? m[2], rel)
  for (const m of text.matchAll(/\bt\((?!\s*')(?!\))/g)) dynamic.push(`${rel}: ${text.slice(m.index, m.index + 30)}`)
}

const marks = (s: string) => [...s.matchAll(/\{\{\s*(\w+)\s*\}\}|<\/?(\w+)\s*\/?>/g)].map((m) => m[1] ?? `<${m[2]}>`).sort()

describe('message catalogues', () => {
  it('has English and Welsh, each naming its language', () => {
    expect(Object.keys(catalogues).sort()).toEqual(['cy', 'en'])
    for (const c of Object.values(catalogues)) expect(c._language).toMatchObject({ tag: expect.any(String), name: expect.any(String) })
  })

  it('names every key as a string literal', () => {
    expect(dynamic).toEqual([])
    expect(used.size).toBeGreaterThan(20)
  })

  for (const lang of Object.keys(catalogues)) {
    it(`${lang}: has every key the code uses`, () => {
      const missing = [...used].filter(([k]) => !flat[lang].has(k)).map(([k, f]) => `${k} (${f})`)
      expect(missing).toEqual([])
    })

    it(`${lang}: has no key the code does not use`, () => {
      expect([...flat[lang].keys()].filter((k) => !used.has(k))).toEqual([])
    })

    it(`${lang}: has no empty message`, () => {
      expect([...flat[lang]].filter(([, v]) => v.trim() === '').map(([k]) => k)).toEqual([])
    })
  }

  it('gives each key the same placeholders and tags in every language', () => {
    const differ: string[] = []
    for (const [key, en] of flat.en)
      for (const lang of Object.keys(flat)) {
        const other = flat[lang].get(key)
        if (other !== undefined && marks(other).join() !== marks(en).join()) differ.push(`${lang} ${key}: ${marks(en)} vs ${marks(other)}`)
      }
    expect(differ).toEqual([])
  })

  it('lists for review only Welsh keys that exist', () => {
    const review = JSON.parse(fs.readFileSync(path.join(DIR, 'cy.review.json'), 'utf8')) as { drafted: string[] }
    expect(review.drafted.filter((k) => !flat.cy.has(k))).toEqual([])
    expect(typeof catalogues.cy._review).toBe('string')
  })
})
