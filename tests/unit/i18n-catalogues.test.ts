import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

/**
 * The catalogues and the code agree exactly: every key the code names is in every language,
 * every key in a catalogue is named somewhere in the code, and each key has the same
 * placeholders ({{x}}) and tags (<strong>) in every language. Keys are string literals in
 * t('…') or i18nKey="…", so this scan is the whole truth; a t() with anything else fails here.
 * A refusal's key is an 'errors.…' literal where the refusal is made (new UserError(…), or a table
 * typed ErrorKey, which the compiler holds to the English catalogue), worded later where it is shown.
 */
const ROOT = path.resolve(import.meta.dirname, '../..')
const DIR = path.join(ROOT, 'common/i18n')
const SOURCES = ['app', 'common', 'server']

type Tree = { [k: string]: string | Tree }

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>()
  for (const [k, v] of Object.entries(tree)) {
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

const readJson = (p: string) => JSON.parse(fs.readFileSync(p, 'utf8')) as unknown
const languages = fs
  .readdirSync(DIR, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
const groupFiles = (lang: string) => fs.readdirSync(path.join(DIR, lang)).filter((f) => !f.startsWith('_'))
const catalogues = Object.fromEntries(
  languages.map((lang) => [lang, Object.fromEntries(groupFiles(lang).map((f) => [f.replace('.json', ''), readJson(path.join(DIR, lang, f)) as Tree]))]),
)
const flat = Object.fromEntries(Object.entries(catalogues).map(([lang, c]) => [lang, flatten(c)]))

const files = SOURCES.flatMap((d) => sourceFiles(path.join(ROOT, d)))
const used = new Map<string, string>()
// An 'errors.…' literal may also name a part of the group a page is sent (pageMessages(args, ['errors.receipt'])).
const parts = new Set<string>()
const dynamic: string[] = []
for (const file of files) {
  const text = fs.readFileSync(file, 'utf8')
  const rel = path.relative(ROOT, file)
  for (const m of text.matchAll(/\bt\(\s*'([^']*)'|i18nKey="([^"]*)"|'(errors\.[\w.]+)'/g)) {
    used.set(m[1] ?? m[2] ?? m[3], rel)
    if (m[3]) parts.add(m[3])
  }
  for (const m of text.matchAll(/\bt\((?!\s*')(?!\))/g)) dynamic.push(`${rel}: ${text.slice(m.index, m.index + 30)}`)
}

const marks = (s: string) => [...s.matchAll(/\{\{\s*(\w+)\s*\}\}|<\/?(\w+)\s*\/?>/g)].map((m) => m[1] ?? `<${m[2]}>`).sort()

describe('message catalogues', () => {
  it('has English and Welsh, each naming its language, with the same groups as JSON files', () => {
    expect(languages.sort()).toEqual(['cy', 'en'])
    for (const lang of languages) {
      expect(readJson(path.join(DIR, lang, '_language.json'))).toMatchObject({ tag: expect.any(String), name: expect.any(String) })
      expect(groupFiles(lang).filter((f) => !/^[a-z][a-zA-Z]*\.json$/.test(f))).toEqual([])
      expect(groupFiles(lang).sort()).toEqual(groupFiles('en').sort())
    }
  })

  it('names every key as a string literal', () => {
    expect(dynamic).toEqual([])
    expect(used.size).toBeGreaterThan(20)
  })

  for (const lang of Object.keys(catalogues)) {
    it(`${lang}: has every key the code uses`, () => {
      const isPart = (k: string) => parts.has(k) && [...flat[lang].keys()].some((key) => key.startsWith(`${k}.`))
      const missing = [...used].filter(([k]) => !flat[lang].has(k) && !isPart(k)).map(([k, f]) => `${k} (${f})`)
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

  it('lists for review only Welsh keys or key prefixes that exist', () => {
    const review = readJson(path.join(DIR, 'cy', '_review.json')) as { about: string; drafted: string[] }
    const keys = [...flat.cy.keys()]
    expect(review.drafted.filter((d) => !keys.some((k) => k === d || k.startsWith(`${d}.`)))).toEqual([])
    expect(review.about).toEqual(expect.any(String))
  })
})
