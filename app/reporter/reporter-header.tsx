import { LangLink } from '~/ui/i18n'
import { LanguageSwitch } from '~/ui/language-switch'
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
