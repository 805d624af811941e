import { awaitingInboxes, confirmGrant, rejectGrant } from '~/review/keyring.client'
import { useKeyringView } from '~/review/use-keyring'
import { useT } from '~/ui/i18n'

/**
 * On every reviewer page while an inbox someone let this reviewer into waits for them to check
 * the approver's fingerprint (ADR 0032). Its keys verified and the approver's grant opened, but
 * only the person knows whether that key is the approver's: until they say so, nothing of the
 * inbox is opened or sealed to.
 */
const awaitingView = () => [...awaitingInboxes()]

export function GrantChecks() {
  const t = useT()
  const awaiting = useKeyringView(awaitingView, [])
  if (!awaiting.length) return null
  return (
    <>
      {awaiting.map((a) => (
        <section key={a.id} className="callout" aria-labelledby={`grant-${a.id}`} data-grant-check={a.id}>
          <h2 id={`grant-${a.id}`}>{t('review.grantCheck.heading', { inbox: a.name })}</h2>
          <p>{t('review.grantCheck.body', { name: a.by.name })}</p>
          <p className="fingerprint">
            <code data-approver-fingerprint>{a.by.fingerprint}</code>
          </p>
          <p className="hint">{t('review.grantCheck.ask', { name: a.by.name })}</p>
          <div className="actions">
            <button type="button" className="button" onClick={() => void confirmGrant(a.id)}>
              {t('review.grantCheck.matches')}
            </button>
            <button type="button" className="button button--secondary" onClick={() => void rejectGrant(a.id)}>
              {t('review.grantCheck.differs')}
            </button>
          </div>
        </section>
      ))}
    </>
  )
}
