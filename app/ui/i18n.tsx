import { Link, useMatches, useRouteLoaderData, type LinkProps } from '@remix-run/react'
import { createInstance, type i18n as I18n } from 'i18next'
import { useMemo, type ReactNode } from 'react'
import { I18nextProvider, initReactI18next, useTranslation } from 'react-i18next'
import { DEFAULT_LANG, withLang, type Language } from '#common/i18n/lang-url'
import { I18N_OPTIONS, type Translate } from '#common/i18n/translate'
import { englishRoot } from '#common/i18n/english-root'
import { addGroups, groupNames, type Groups } from '#common/i18n/groups'

type RootData = { lang?: string; languages?: Language[] }
const ENGLISH: Language = { code: 'en', tag: 'en-GB', name: 'English' }

/** The page's language, as the root loader read it from the address. */
export function useLang(): { lang: string; tag: string; languages: Language[] } {
  const data = useRouteLoaderData('root') as RootData | undefined
  const languages = data?.languages ?? [ENGLISH]
  const lang = data?.lang ?? DEFAULT_LANG
  return { lang, tag: languages.find((l) => l.code === lang)?.tag ?? ENGLISH.tag, languages }
}

/** `href` in the page's language: every link and form action of ours goes through this. */
export function useLangHref(): (href: string) => string {
  const { lang } = useLang()
  return (href) => withLang(href, lang)
}

/** A Remix Link that keeps the page's language. */
export function LangLink({ to, ...rest }: Omit<LinkProps, 'to'> & { to: string }) {
  const href = useLangHref()
  return <Link to={href(to)} {...rest} />
}

/**
 * One translator per page, built from the groups every matched route's loader sent (`i18n`):
 * only the page's own words, only in its language. Made again when a navigation brings new
 * groups or another language; the same data always makes the same translator, so the server's
 * render and the browser's hydration agree.
 */
export function I18nRoot({ children }: { children: ReactNode }) {
  const { lang } = useLang()
  const matches = useMatches()
  // An address no route matches never runs the root loader, so its "Page not found" is in English.
  const groups: Groups = useRouteLoaderData('root') ? {} : { root: englishRoot }
  for (const m of matches) addGroups(groups, (m.data as { i18n?: Groups } | undefined)?.i18n)
  const names = groupNames(groups)
  // eslint-disable-next-line react-hooks/exhaustive-deps -- the same names in one language are the same words
  const i18n = useMemo(() => translatorOf(lang, groups), [lang, names])
  return <I18nextProvider i18n={i18n}>{children}</I18nextProvider>
}

function translatorOf(lang: string, resources: Groups): I18n {
  const i18n = createInstance()
  void i18n.use(initReactI18next).init({ ...I18N_OPTIONS, lng: lang, resources: { [lang]: { translation: resources } } })
  return i18n
}

/** `t` as common/ takes it (common/i18n/translate.ts). */
export function useT(): Translate {
  const { t } = useTranslation()
  return t as unknown as Translate
}

/**
 * A translator for a route's `meta`, which runs outside the page's React tree: built from the
 * same loader data, so titles are in the page's language too.
 */
export function metaT(matches: ReadonlyArray<{ id: string; data: unknown }>): Translate {
  const root = matches.find((m) => m.id === 'root')?.data as RootData | undefined
  const groups: Groups = root ? {} : { root: englishRoot }
  for (const m of matches) addGroups(groups, (m.data as { i18n?: Groups } | undefined)?.i18n)
  const i18n = translatorOf(root?.lang ?? DEFAULT_LANG, groups)
  return i18n.t.bind(i18n) as unknown as Translate
}
