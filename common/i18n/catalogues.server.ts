import type { Language } from './lang-url'
import cy from './cy.json'
import en from './en.json'

/**
 * Every language's catalogue. Adding a language is its catalogue file (with its `_language`
 * entry) and one line here. A key's first segment is its group: each route sends its page only
 * the groups it shows, in the page's language only, so a page never carries another language
 * or another page's words.
 */
const CATALOGUES = { en, cy } as const

type Catalogue = Record<string, unknown> & { _language: { tag: string; name: string } }

const all = CATALOGUES as unknown as Record<string, Catalogue>

export const LANGUAGES: Language[] = Object.entries(all).map(([code, c]) => ({ code, tag: c._language.tag, name: c._language.name }))
export const LANGUAGE_CODES = LANGUAGES.map((l) => l.code)

/** The groups a page shows, in one language: what a loader returns as `i18n`. */
export function messagesFor(lang: string, groups: readonly string[]): Record<string, unknown> {
  const c = all[lang] ?? all.en
  return Object.fromEntries(groups.filter((g) => g in c).map((g) => [g, c[g]]))
}

/** A whole catalogue without its notes, for the server's own messages (the no-JS path). */
export function catalogue(lang: string): Record<string, unknown> {
  return Object.fromEntries(Object.entries(all[lang] ?? all.en).filter(([k]) => !k.startsWith('_')))
}
