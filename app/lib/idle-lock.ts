// Not a .client module: the hook must exist during server rendering (its effect runs only in the browser).
import { useNavigate } from '@remix-run/react'
import { useEffect } from 'react'
import { lock } from './keyring.client'

const IDLE_MS = 15 * 60 * 1000 // the same idle limit the server applies to the session

/** After 15 minutes without input the keys leave memory and the page asks for a passkey again. */
export function useIdleLock(active: boolean) {
  const navigate = useNavigate()
  useEffect(() => {
    if (!active) return
    let timer = window.setTimeout(expire, IDLE_MS)
    function expire() {
      void lock().then(() => navigate('/review/sign-in?timed-out=1'))
    }
    const reset = () => {
      window.clearTimeout(timer)
      timer = window.setTimeout(expire, IDLE_MS)
    }
    const events = ['pointerdown', 'keydown', 'wheel', 'touchstart'] as const
    for (const e of events) window.addEventListener(e, reset, { passive: true })
    return () => {
      window.clearTimeout(timer)
      for (const e of events) window.removeEventListener(e, reset)
    }
  }, [active, navigate])
}
