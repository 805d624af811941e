/**
 * The page's language lives in its address and nowhere else: `?lang=cy`, no cookie, no storage,
 * so nothing on the device or the server remembers which language an officer read. English, the
 * default, is the address without the parameter, so every existing link stays as it was.
 */
export const LANG_PARAM = 'lang'
export const DEFAULT_LANG = 'en'

/** A language the portal speaks, as pages name it in the switch. */
export type Language = { code: string; tag: string; name: string }

/** `href` (a path of ours, with or without a query or #fragment) in `lang`. */
export function withLang(href: string, lang: string): string {
  const hashAt = href.indexOf('#')
  const hash = hashAt === -1 ? '' : href.slice(hashAt)
  const rest = hashAt === -1 ? href : href.slice(0, hashAt)
  const queryAt = rest.indexOf('?')
  const path = queryAt === -1 ? rest : rest.slice(0, queryAt)
  const params = new URLSearchParams(queryAt === -1 ? '' : rest.slice(queryAt + 1))
  if (lang === DEFAULT_LANG) params.delete(LANG_PARAM)
  else params.set(LANG_PARAM, lang)
  const query = params.toString()
  return `${path}${query ? `?${query}` : ''}${hash}`
}

/** The language an address asks for, if it is one of `known`; otherwise the default. */
export function langOf(url: string | URL, known: readonly string[]): string {
  const asked = new URL(url, 'http://x').searchParams.get(LANG_PARAM)
  return asked && known.includes(asked) ? asked : DEFAULT_LANG
}
