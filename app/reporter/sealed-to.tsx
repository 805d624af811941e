import { useEffect, useState } from 'react'
import { Trans } from 'react-i18next'
import { useT } from '~/ui/i18n'
import { tracedFingerprint } from './reporter.client'

export type InboxCard = { name: string; log: unknown[]; fingerprint: string | null }

/**
 * Which inbox a report is sealed to and the fingerprint of its identity, to compare with what the
 * force prints on posters and its intranet. Without JavaScript the server's reading of its own
 * log is all there is; with it, this device traces the log and shows only what it traced.
 */
export function SealedTo({ inbox, sent }: { inbox: InboxCard; sent?: boolean }) {
  const t = useT()
  const [traced, setTraced] = useState<string | null | undefined>(undefined)
  useEffect(() => {
    let live = true
    void tracedFingerprint(inbox.log).then((f) => live && setTraced(f))
    return () => {
      live = false
    }
  }, [inbox.log])
  if (traced === null)
    return (
      <div className="error-summary" role="alert" data-untraceable>
        <h2>{t('reporter.sealedTo.untraceable', { name: inbox.name })}</h2>
        <p>{t('reporter.sealedTo.untraceableBody')}</p>
      </div>
    )
  const print = traced ?? inbox.fingerprint
  return (
    <div className="sealed-to" data-sealed-to>
      <p>
        {sent ? (
          <Trans i18nKey="reporter.sealedTo.sent" values={{ name: inbox.name }} components={{ strong: <strong /> }} />
        ) : (
          <Trans i18nKey="reporter.sealedTo.willBe" values={{ name: inbox.name }} components={{ strong: <strong /> }} />
        )}
      </p>
      {print ? (
        <p>
          <Trans i18nKey="reporter.sealedTo.fingerprint" values={{ print }} components={{ code: <code data-fingerprint /> }} />
        </p>
      ) : null}
    </div>
  )
}
