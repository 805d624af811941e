import type { LoaderFunctionArgs } from '@remix-run/node'
import { Outlet } from '@remix-run/react'
import { ReporterHeader } from '~/reporter/reporter-header'
import { useFocusHeadingOnNavigate } from '~/ui/focus-heading'
import { LangLink, useT } from '~/ui/i18n'
import { pageMessages } from '~/ui/i18n.server'
import { MainContent } from '~/ui/main-content'

/** The words every reporter page shares: footer, form parts, files, the inbox card. */
export const loader = (args: LoaderFunctionArgs) => pageMessages(args, ['reporter'])

export default function ReporterLayout() {
  const t = useT()
  useFocusHeadingOnNavigate()
  return (
    <>
      <ReporterHeader />
      <MainContent>
        <Outlet />
      </MainContent>
      <footer className="footer">
        <nav aria-label={t('reporter.footer.label')}>
          <LangLink to="/">{t('reporter.footer.about')}</LangLink>
          <LangLink to="/report">{t('reporter.footer.report')}</LangLink>
          <LangLink to="/check">{t('reporter.footer.check')}</LangLink>
          <LangLink to="/safer">{t('reporter.footer.safer')}</LangLink>
        </nav>
        <p>{t('reporter.footer.promise')}</p>
      </footer>
    </>
  )
}
