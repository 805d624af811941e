import { useEffect, useRef } from 'react'

const ACTIVITY = ['pointerdown', 'keydown', 'scroll', 'touchstart'] as const

/**
 * Calls `onIdle` once after `seconds` without a touch, key or scroll while `active`: a report left
 * open on a phone closes itself before someone else picks the phone up.
 */
export function useIdleClose(active: boolean, seconds: number, onIdle: () => void) {
  const latest = useRef(onIdle)
  latest.current = onIdle
  useEffect(() => {
    if (!active) return
    let timer = setTimeout(() => latest.current(), seconds * 1000)
    const reset = () => {
      clearTimeout(timer)
      timer = setTimeout(() => latest.current(), seconds * 1000)
    }
    for (const e of ACTIVITY) window.addEventListener(e, reset, { passive: true })
    return () => {
      clearTimeout(timer)
      for (const e of ACTIVITY) window.removeEventListener(e, reset)
    }
  }, [active, seconds])
}
