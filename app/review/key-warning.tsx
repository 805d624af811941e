import type { Translate } from '#common/i18n/translate'
import { refusedInboxes, type RefusedInbox } from '~/review/keyring.client'
import { useKeyringView } from '~/review/use-keyring'
import { useT } from '~/ui/i18n'

/** What failed, in the reviewer's words; the version named where one check failed on one version. */
function whatFailed(r: RefusedInbox, t: Translate): string {
  const v = r.keyVersion
  switch (r.problem) {
    case 'signature':
      return v ? t('review.keyWarning.signature', { v }) : t('review.keyWarning.signatureAny')
    case 'identity-secret':
      return v ? t('review.keyWarning.identitySecret', { v }) : t('review.keyWarning.identitySecretAny')
    case 'box-secret':
      return v ? t('review.keyWarning.boxSecret', { v }) : t('review.keyWarning.boxSecretAny')
    case 'duplicate-version':
      return v ? t('review.keyWarning.duplicateVersion', { v }) : t('review.keyWarning.duplicateVersionAny')
    case 'unreadable-wrap':
      return v ? t('review.keyWarning.unreadableWrap', { v }) : t('review.keyWarning.unreadableWrapAny')
    case 'no-versions':
      return t('review.keyWarning.noVersions')
    case 'pin':
      return t('review.keyWarning.pin')
    case 'pin-identity':
      return t('review.keyWarning.pinIdentity')
    case 'pin-conflict':
      return t('review.keyWarning.pinConflict')
    case 'log':
      return t('review.keyWarning.log')
    case 'log-identity':
      return t('review.keyWarning.logIdentity')
    case 'not-logged':
      return v ? t('review.keyWarning.notLogged', { v }) : t('review.keyWarning.notLoggedAny')
    case 'not-made-here':
      return t('review.keyWarning.notMadeHere')
    case 'grant':
      return t('review.keyWarning.grant')
    case 'grant-rejected':
      return t('review.keyWarning.grantRejected')
  }
}

const refusedView = () => [...refusedInboxes()]

/**
 * Shown on every reviewer page while this tab refuses an inbox's keys (ADR 0021). Keys live in
 * page memory, so it is read in the browser only, and again whenever the keyring changes.
 */
export function KeyWarnings() {
  const t = useT()
  const refused = useKeyringView(refusedView, [])
  if (!refused.length) return null
  return (
    <>
      {refused.map((r) => (
        <section key={r.id} className="error-summary" role="alert" data-key-warning={r.id}>
          <h2>{t('review.keyWarning.heading', { name: r.name })}</h2>
          <p>{t('review.keyWarning.body', { failed: whatFailed(r, t) })}</p>
          <p>{t('review.keyWarning.advice')}</p>
        </section>
      ))}
    </>
  )
}
