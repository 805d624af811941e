import { LangLink, useT } from '~/ui/i18n'

/** The two ways in for a reporter, on every page that explains rather than asks. */
export function StartActions() {
  const t = useT()
  return (
    <div className="actions">
      <LangLink className="button" to="/report">
        {t('reporter.start.report')}
      </LangLink>
      <LangLink className="button button--secondary" to="/check">
        {t('reporter.start.check')}
      </LangLink>
    </div>
  )
}
