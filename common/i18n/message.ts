import type { Translate } from './translate'

/**
 * A message made below app/ for the page to say in its own language: a catalogue key and its
 * placeholders' values, which may be messages too ("within {{kept}}": "1 minute"). The no-JS
 * server sends these, not sentences, so it needs no translator for them; the page says them
 * with `useSay` (app/ui/fields.tsx).
 */
export type Message = { key: string; values?: Record<string, string | number | Message> }

/** Named `t` so tests/unit/i18n-catalogues.test.ts finds each key, a string literal, where it is made. */
export const t = (key: string, values?: Message['values']): Message => (values ? { key, values } : { key })

/** Periods as messages: one "1 minute" and many "N minutes". */
export const minutesMessage = (n: number): Message => (n === 1 ? t('reporter.time.minute') : t('reporter.time.minutes', { n }))

/** Sizes as people read them: "812 bytes", "4.2 KiB", "3.0 MiB". */
export const sizeMessage = (n: number): Message =>
  n < 1024
    ? t('reporter.size.bytes', { n })
    : n < 1024 * 1024
      ? t('reporter.size.kib', { n: (n / 1024).toFixed(1) })
      : t('reporter.size.mib', { n: (n / 1024 / 1024).toFixed(1) })

/** A size limit, rounded as limits are stated: "10 MiB", "0.5 MiB". */
export const limitMessage = (n: number): Message => t('reporter.size.mib', { n: Math.round((n / 1024 / 1024) * 10) / 10 })

/**
 * An Error whose words are a message for the page to say, for code below the page that must
 * refuse by throwing, or words already said (the server's, in the page's language); `said`
 * gives what a page shows for any error it caught.
 */
export class Refusal extends Error {
  constructor(readonly said: Message | string) {
    super(typeof said === 'string' ? said : said.key)
    this.name = 'Refusal'
  }
}

export const said = (err: unknown): Message | string => (err instanceof Refusal ? err.said : (err as Error).message)

/** A message said by a translator, its placeholders' messages too; a string is already said. */
export const sayWith = (translate: Translate, m: Message | string): string =>
  typeof m === 'string'
    ? m
    : translate(m.key, m.values && Object.fromEntries(Object.entries(m.values).map(([k, v]) => [k, typeof v === 'object' ? sayWith(translate, v) : v])))
