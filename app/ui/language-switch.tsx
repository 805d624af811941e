import { Link, useLocation } from '@remix-run/react'
import { withLang } from '#common/i18n/lang-url'
import { useLang, useT } from './i18n'

/**
 * This page in each other language, named in that language and marked as such, so a screen
 * reader says "Cymraeg" in Welsh. A link to the same address: nothing is stored, and with
 * JavaScript it moves within the app, so the page keeps what was typed and a reviewer's tab keeps
 * its unlocked keys (they live in page memory), since only its words change.
 */
export function LanguageSwitch() {
  const { lang, languages } = useLang()
  const t = useT()
  const { pathname, search, hash } = useLocation()
  const others = languages.filter((l) => l.code !== lang)
  if (others.length === 0) return null
  return (
    <nav className="lang-switch" aria-label={t('root.languageSwitch')}>
      {others.map((l) => (
        <Link key={l.code} to={withLang(pathname + search + hash, l.code)} hrefLang={l.tag} lang={l.tag}>
          {l.name}
        </Link>
      ))}
    </nav>
  )
}
