import fs from 'node:fs'
import type { Language } from './lang-url'

/**
 * Every language's catalogue: one folder per language (`en/`, `cy/`), one JSON file per group,
 * and `_language.json` naming the language. Adding a language is its folder. A key's first
 * segment is its group, the file it lives in: each route sends its page only the groups it
 * shows, in the page's language only, so a page never carries another language or another
 * page's words. Read once, when the server starts.
 */
const DIR = new URL('./', import.meta.url)
const readJson = (url: URL) => JSON.parse(fs.readFileSync(url, 'utf8')) as unknown

type Catalogue = Record<string, unknown>

const folders = fs
  .readdirSync(DIR, { withFileTypes: true })
  .filter((e) => e.isDirectory() && /^[a-z]{2,3}$/.test(e.name))
  .map((e) => e.name)
  .sort((a, b) => (a === 'en' ? -1 : b === 'en' ? 1 : a.localeCompare(b)))

const all: Record<string, Catalogue> = Object.fromEntries(
  folders.map((code) => {
    const dir = new URL(`${code}/`, DIR)
    const groups = fs.readdirSync(dir).filter((f) => /^[a-z][a-zA-Z]*\.json$/.test(f))
    return [code, Object.fromEntries(groups.map((f) => [f.slice(0, -'.json'.length), readJson(new URL(f, dir))]))]
  }),
)

export const LANGUAGES: Language[] = folders.map((code) => {
  const { tag, name } = readJson(new URL(`${code}/_language.json`, DIR)) as { tag: string; name: string }
  return { code, tag, name }
})
export const LANGUAGE_CODES = LANGUAGES.map((l) => l.code)

/** The groups a page shows, in one language: what a loader returns as `i18n`. */
export function messagesFor(lang: string, groups: readonly string[]): Catalogue {
  const c = all[lang] ?? all.en
  return Object.fromEntries(groups.filter((g) => g in c).map((g) => [g, c[g]]))
}

/** A whole catalogue, for the server's own messages (the no-JS path). */
export const catalogue = (lang: string): Catalogue => all[lang] ?? all.en
