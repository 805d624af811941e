import type { Message } from '../../common/i18n/message'
import { i18nService } from '../../server/i18n.server'

const i18n = i18nService()

/**
 * The portal's own words in one language, by catalogue key, for tests that walk a page by what a
 * person reads: the same catalogues and translator the server uses, so a test in Welsh clicks
 * what a Welsh reader sees.
 */
export const wordsFor = (lang: string) => i18n.translatorFor(lang)

/** A message reference as a page in `lang` says it (app/ui/fields.tsx useSay). */
export function sayIn(lang: string, m: Message | string): string {
  if (typeof m === 'string') return m
  const values = m.values && Object.fromEntries(Object.entries(m.values).map(([k, v]) => [k, typeof v === 'object' ? sayIn(lang, v) : v]))
  return wordsFor(lang)(m.key, values)
}

/** Every sentence of some groups in one language, for "no English left on a Welsh page" checks. */
export function sentencesOf(lang: string, groups: readonly string[]): string[] {
  const out: string[] = []
  const walk = (v: unknown) => {
    if (typeof v === 'string') out.push(v)
    else if (v && typeof v === 'object') Object.values(v).forEach(walk)
  }
  walk(i18n.messagesFor(lang, groups))
  return out
}
