import { useLocation } from '@remix-run/react'
import { withLang } from '#common/i18n/lang-url'
import { LangLink, useLang, useT } from '~/ui/i18n'
import { QuickExit } from './quick-exit'

/** The reporter pages' header, error pages included: a reporter can land on one mid-report. */
export function ReporterHeader() {
  return (
    <header className="topbar">
      <LangLink to="/" className="brand">
        Candour
      </LangLink>
      <LanguageSwitch />
      <QuickExit />
    </header>
  )
}

/**
 * This page in each other language, named in that language and marked as such, so a screen
 * reader says "Cymraeg" in Welsh. A plain link to the same address: nothing is stored, and with
 * JavaScript the page keeps what was typed, since only its words change.
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
        <a key={l.code} href={withLang(pathname + search + hash, l.code)} hrefLang={l.tag} lang={l.tag}>
          {l.name}
        </a>
      ))}
    </nav>
  )
}
