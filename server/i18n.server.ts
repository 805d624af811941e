import fs from 'node:fs'
import { createInstance } from 'i18next'
import type { UserError } from '#common/errors'
import { DEFAULT_LANG, langOf, type Language } from '#common/i18n/lang-url'
import { I18N_OPTIONS, type Translate } from '#common/i18n/translate'

type Catalogue = Record<string, unknown>

/**
 * The message catalogues under common/i18n: one folder per language (`en/`, `cy/`), one JSON file
 * per group and `_language.json` naming the language, so adding a language is its folder. A key's
 * first segment is its group, the file it lives in: each route sends its page only the groups it
 * shows, in the page's language only, so a page never carries another language or another page's
 * words. Read once, when the server starts.
 */
export function i18nService(dir = new URL('../common/i18n/', import.meta.url)) {
  const readJson = (url: URL) => JSON.parse(fs.readFileSync(url, 'utf8')) as unknown
  const codes = fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && /^[a-z]{2,3}$/.test(e.name))
    .map((e) => e.name)
    .sort((a, b) => (a === DEFAULT_LANG ? -1 : b === DEFAULT_LANG ? 1 : a.localeCompare(b)))
  const all: Record<string, Catalogue> = Object.fromEntries(
    codes.map((code) => {
      const folder = new URL(`${code}/`, dir)
      const groups = fs.readdirSync(folder).filter((f) => /^[a-z][a-zA-Z]*\.json$/.test(f))
      return [code, Object.fromEntries(groups.map((f) => [f.slice(0, -'.json'.length), readJson(new URL(f, folder))]))]
    }),
  )
  const languages: Language[] = codes.map((code) => {
    const { tag, name } = readJson(new URL(`${code}/_language.json`, dir)) as { tag: string; name: string }
    return { code, tag, name }
  })
  const known = (lang: string) => (codes.includes(lang) ? lang : DEFAULT_LANG)
  /** The first language an Accept-Language header names, if it is one we have; otherwise English. */
  const acceptedLang = (header: string | null | undefined) => known((header ?? '').split(/[,;]/)[0].trim().toLowerCase())

  const translators = new Map<string, Translate>()
  /** The server's own words for a person (the no-JS path, refusals), over the whole catalogue. */
  function translatorFor(lang: string): Translate {
    const code = known(lang)
    let t = translators.get(code)
    if (!t) {
      const i18n = createInstance()
      void i18n.init({ ...I18N_OPTIONS, lng: code, resources: { [code]: { translation: all[code] } } })
      t = i18n.t.bind(i18n) as unknown as Translate
      translators.set(code, t)
    }
    return t
  }

  return {
    languages,
    translatorFor,
    /** A refusal in one language; its key was checked against the catalogue when it was written. */
    refusal: (lang: string, { key, values }: Pick<UserError, 'key' | 'values'>) => translatorFor(lang)(key, values),
    /** The groups a page shows, in one language: what a loader returns as `i18n`. */
    messagesFor: (lang: string, groups: readonly string[]): Catalogue => {
      const c = all[known(lang)]
      return Object.fromEntries(groups.filter((g) => g in c).map((g) => [g, c[g]]))
    },
    /** The language a page request's address asks for ('en' unless it names one we have). */
    requestLang: (request: Request) => langOf(request.url, codes),
    /**
     * The language a JSON request wants its refusals in: our pages' fetches name the page's
     * language first in Accept-Language (app/ui/api.client.ts); anything else is English.
     */
    apiLang: (request: Request) => acceptedLang(request.headers.get('accept-language')),
    acceptedLang,
  }
}

export type I18nService = ReturnType<typeof i18nService>
