import { LangLink, useT } from '~/ui/i18n'

/** Keys live in page memory only, so a reload or a fresh tab needs another passkey touch. */
export function KeysLocked() {
  const t = useT()
  return (
    <>
      <h1>{t('review.keysLocked.heading')}</h1>
      <div className="callout" role="status">
        <p>{t('review.keysLocked.body')}</p>
        <LangLink to="/review/sign-in" className="button">
          {t('review.keysLocked.unlock')}
        </LangLink>
      </div>
    </>
  )
}
