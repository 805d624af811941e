import { useCallback, useEffect, useRef, useState } from 'react'

const ACTIVITY = ['pointerdown', 'keydown', 'scroll', 'touchstart'] as const

/** How long before the close the page warns, with a button to stay (GOV.UK's timeout warning). */
export const WARN_BEFORE_SECONDS = 2 * 60

/**
 * Calls `onIdle` once after `seconds` without a touch, key or scroll while `active`: a report left
 * open on a phone closes itself before someone else picks the phone up. `WARN_BEFORE_SECONDS`
 * earlier it sets `warning`; from then on only `stay()` keeps the page open, since a scroll or a
 * stray key is not someone saying they are still there. `onActive` hears of each sign of life
 * (say, to keep the server's session open too).
 */
export function useIdleClose(active: boolean, seconds: number, onIdle: () => void, onActive?: () => void) {
  const latest = useRef({ onIdle, onActive })
  latest.current = { onIdle, onActive }
  const [warning, setWarning] = useState(false)
  const restart = useRef<() => void>(() => {})
  useEffect(() => {
    if (!active) return
    let warned = false
    let warnTimer: ReturnType<typeof setTimeout>
    let idleTimer: ReturnType<typeof setTimeout>
    const start = () => {
      clearTimeout(warnTimer)
      clearTimeout(idleTimer)
      warned = false
      setWarning(false)
      warnTimer = setTimeout(
        () => {
          warned = true
          setWarning(true)
        },
        Math.max(0, seconds - WARN_BEFORE_SECONDS) * 1000,
      )
      idleTimer = setTimeout(() => {
        setWarning(false)
        latest.current.onIdle()
      }, seconds * 1000)
    }
    const activity = () => {
      if (warned) return
      start()
      latest.current.onActive?.()
    }
    restart.current = () => {
      start()
      latest.current.onActive?.()
    }
    start()
    for (const e of ACTIVITY) window.addEventListener(e, activity, { passive: true })
    return () => {
      clearTimeout(warnTimer)
      clearTimeout(idleTimer)
      restart.current = () => {}
      setWarning(false)
      for (const e of ACTIVITY) window.removeEventListener(e, activity)
    }
  }, [active, seconds])
  const stay = useCallback(() => restart.current(), [])
  return { warning, stay }
}
