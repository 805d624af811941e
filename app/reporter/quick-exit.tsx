import { useEffect, useState } from 'react'
import { useHydrated } from '~/ui/hydrated'
import { useT } from '~/ui/i18n'

/** GOV.UK's "exit this page": Shift pressed three times, each within this long of the first. */
export const SHIFT_PRESSES = 3
const WINDOW_MS = 5000

/**
 * Leaves at once for a neutral site. With JavaScript it replaces this page in the history, so
 * Back does not return here, and Shift pressed three times does the same. Not Esc: Esc is what
 * people press to close a menu or a date picker, and it must never throw away a report being
 * typed. Without JavaScript it is a plain link, and the keyboard hint is not shown since the key
 * would do nothing.
 */
export function QuickExit({ href = '/exit' }: { href?: string }) {
  const hydrated = useHydrated()
  const t = useT()
  const presses = useShiftPresses(href)
  const left = SHIFT_PRESSES - presses
  return (
    <>
      <a
        className="quick-exit"
        href={href}
        rel="noreferrer noopener"
        onClick={(e) => {
          e.preventDefault()
          leave(href)
        }}
      >
        {t('root.quickExit.button')}
        {hydrated ? <span className="quick-exit__hint"> {t('root.quickExit.hint', { n: SHIFT_PRESSES })}</span> : null}
      </a>
      {/* Told as it happens, so a keyboard user knows the presses are being counted. */}
      <span className="visually-hidden" role="status">
        {presses > 0 && presses < SHIFT_PRESSES ? (left === 1 ? t('root.quickExit.oneMore') : t('root.quickExit.more', { n: left })) : ''}
      </span>
    </>
  )
}

/** Counts lone Shift presses; any other key, or a pause, starts the count again. */
function useShiftPresses(href: string): number {
  const [count, setCount] = useState(0)
  useEffect(() => {
    let n = 0
    let timer: ReturnType<typeof setTimeout> | undefined
    const reset = () => {
      n = 0
      clearTimeout(timer)
      setCount(0)
    }
    // A capital letter is Shift held with another key: that is typing, and its Shift is no press.
    let typing = false
    const onDown = (e: KeyboardEvent) => {
      if (e.key === 'Shift') return
      reset()
      typing ||= e.shiftKey
    }
    const onUp = (e: KeyboardEvent) => {
      if (e.key !== 'Shift') return
      if (typing) {
        typing = false
        return
      }
      if (n === 0) timer = setTimeout(reset, WINDOW_MS)
      n += 1
      setCount(n)
      if (n >= SHIFT_PRESSES) {
        reset()
        leave(href)
      }
    }
    window.addEventListener('keydown', onDown, true)
    window.addEventListener('keyup', onUp, true)
    return () => {
      clearTimeout(timer)
      window.removeEventListener('keydown', onDown, true)
      window.removeEventListener('keyup', onUp, true)
    }
  }, [href])
  return count
}

let leaving = false

/** True once Quick exit has started to leave: nothing may stop it or ask first. */
export const quickExitLeaving = () => leaving

function leave(href: string) {
  leaving = true
  document.body.hidden = true
  window.location.replace(href)
}
