import type { ReactNode } from 'react'

/** Where the skip link lands: focusable by script and by the link, not in the tab order. */
export function MainContent({ wide, children }: { wide?: boolean; children: ReactNode }) {
  return (
    <main className={wide ? 'page page--wide' : 'page'} id="main-content" tabIndex={-1}>
      {children}
    </main>
  )
}
