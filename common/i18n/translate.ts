/**
 * What code below app/ needs of a translator: a catalogue key (always a string literal, so
 * tests/unit/i18n-catalogues.test.ts can find every one) and its placeholders' values. i18next's
 * `t` is one; common/ stays free of the library itself.
 */
export type Translate = (key: string, values?: Record<string, string | number>) => string

/** i18next's options, the same in the browser, the page render and the no-JS path. */
export const I18N_OPTIONS = {
  // React escapes what it renders; the no-JS path's messages are rendered by React too.
  interpolation: { escapeValue: false },
  returnNull: false,
  // One flat catalogue per language; the first segment of a key is its group (see catalogues.server.ts).
  defaultNS: 'translation',
  initAsync: false,
} as const
