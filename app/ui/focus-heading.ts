// Not a .client module: the hook must exist during server rendering (its effect runs only in the browser).
import { useLocation } from '@remix-run/react'
import { useEffect } from 'react'

/** How long a page may take to open its reports and draw its heading. */
const WAIT_MS = 10_000

/**
 * After a move between pages, the focus goes to the new page's heading, where a screen reader
 * starts reading; a client-side move otherwise leaves it on whatever link was clicked, or nowhere
 * once that link is gone. Pages that open reports in the tab draw their final heading late, so
 * the heading is followed until then, and let go as soon as the person moves on.
 */
export function useFocusHeadingOnNavigate() {
  const { key } = useLocation()
  useEffect(() => {
    // A full page load starts at the top already; only moves within the app need help.
    if (key === 'default') return
    const main = document.getElementById('main-content')
    if (!main) return
    let ours: HTMLElement | null = null
    const place = () => {
      const heading = main.querySelector<HTMLElement>('h1')
      if (!heading || heading === document.activeElement) return
      if (!heading.hasAttribute('tabindex')) heading.setAttribute('tabindex', '-1')
      ours = heading
      heading.focus()
    }
    // They have moved the focus themselves (Tab, a click): leave it where they put it.
    const moved = (e: FocusEvent) => {
      if (e.target !== ours) stop()
    }
    const observer = new MutationObserver(place)
    const timer = setTimeout(() => stop(), WAIT_MS)
    function stop() {
      observer.disconnect()
      clearTimeout(timer)
      document.removeEventListener('focusin', moved)
    }
    document.addEventListener('focusin', moved)
    observer.observe(main, { childList: true, subtree: true })
    place()
    return stop
  }, [key])
}
