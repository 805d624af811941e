import { sayWith, type Message } from '../../common/i18n/message'
import { i18nService } from '../../server/i18n.server'

const i18n = i18nService()

/**
 * The portal's own words in one language, by catalogue key, for tests that walk a page by what a
 * person reads: the same catalogues and translator the server uses, so a test in Welsh clicks
 * what a Welsh reader sees.
 */
export const wordsFor = (lang: string) => i18n.translatorFor(lang)

/** A message reference as a page in `lang` says it (app/ui/fields.tsx useSay). */
export const sayIn = (lang: string, m: Message | string): string => sayWith(wordsFor(lang), m)

/** One group's messages in one language, as the catalogue nests them. */
export const groupOf = (lang: string, group: string): any => i18n.messagesFor(lang, [group])[group]

const stringsOf = (lang: string, groups: readonly string[]): string[] => {
  const out: string[] = []
  const walk = (v: unknown) => {
    if (typeof v === 'string') out.push(v)
    else if (v && typeof v === 'object') Object.values(v).forEach(walk)
  }
  walk(i18n.messagesFor(lang, groups))
  return out
}

/** The English messages of some groups that Welsh words differently: none may show on a Welsh page. */
export function englishOnly(groups: readonly string[]): string[] {
  const cy = new Set(stringsOf('cy', groups))
  return stringsOf('en', groups).filter((s) => !cy.has(s))
}

/**
 * The fixed runs of words in messages, between placeholders and tags, as a reader meets them:
 * only runs long enough to be a sentence and not a name ("Print", "Tor Browser").
 */
export const sentenceRuns = (messages: string[]): string[] =>
  messages
    .flatMap((m) => m.split(/\{\{\s*\w+\s*\}\}|<\/?\w+>/))
    .map((r) => r.trim().replace(/[.:;]$/, ''))
    .filter((r) => r.split(/\s+/).length >= 3)
