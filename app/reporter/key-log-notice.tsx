import type { ThreadModel } from '#common/thread-model'
import { useT } from '~/ui/i18n'

/**
 * What the reporter is told when the inbox's key log does not trace from what their receipt saw
 * before: in plain words, at the top, and in place of the message box, since nothing is sealed.
 */
export function KeyLogAlert({ keyLog }: { keyLog: ThreadModel['keyLog'] }) {
  const t = useT()
  if (keyLog !== 'broken') return null
  return (
    <div className="error-summary" role="alert" data-key-log="broken">
      <h2>{t('check.keyLog.heading')}</h2>
      <p>{t('check.keyLog.body')}</p>
    </div>
  )
}

/** In place of the message box when nothing can be sealed. */
export function CannotSeal({ keyLog }: { keyLog: ThreadModel['keyLog'] }) {
  const t = useT()
  return (
    <p className="notice" data-cannot-seal>
      {keyLog === 'unlogged' ? t('check.keyLog.unlogged') : t('check.keyLog.unverified')}
    </p>
  )
}
