import { useEffect } from 'react'

/**
 * Leaves at once for a neutral site. With JavaScript it replaces this page in the history, so
 * Back does not return here, and Esc does the same; without, it is still a plain link.
 */
export function QuickExit({ href = '/exit' }: { href?: string }) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') leave(href)
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [href])
  return (
    <a
      className="quick-exit"
      href={href}
      rel="noreferrer noopener"
      onClick={(e) => {
        e.preventDefault()
        leave(href)
      }}
    >
      Quick exit <span className="quick-exit__hint">(or press Esc)</span>
    </a>
  )
}

function leave(href: string) {
  document.body.hidden = true
  window.location.replace(href)
}
