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
