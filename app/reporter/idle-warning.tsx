import { useEffect, useRef } from 'react'
import { useT } from '~/ui/i18n'
import { WARN_BEFORE_SECONDS } from './idle'

/**
 * Said before the report closes for lack of activity, with the one button that keeps it open.
 * Focus goes to the button, so a keyboard or screen reader user hears the warning and can answer
 * it at once, and comes back to where it was afterwards.
 */
export function IdleWarning({ onStay }: { onStay: () => void }) {
  const t = useT()
  const button = useRef<HTMLButtonElement>(null)
  useEffect(() => {
    const before = document.activeElement as HTMLElement | null
    button.current?.focus()
    return () => before?.focus?.()
  }, [])
  return (
    <div className="idle-warning" role="alertdialog" aria-labelledby="idle-warning-title" aria-describedby="idle-warning-text">
      <h2 id="idle-warning-title">{t('check.idle.heading')}</h2>
      <p id="idle-warning-text">{t('check.idle.body', { minutes: WARN_BEFORE_SECONDS / 60 })}</p>
      <button ref={button} type="button" className="button" onClick={onStay}>
        {t('check.idle.stay')}
      </button>
    </div>
  )
}
