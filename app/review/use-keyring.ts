import { useEffect, useState } from 'react'
import { watchKeyring } from './keyring.client'

/**
 * What a component shows of the tab's keyring, read again whenever keys are unlocked, locked, or
 * an inbox is added, held back or refused. `read` must be a module-level function, read at once.
 */
export function useKeyringView<T>(read: () => T, initial: T): T {
  const [view, setView] = useState(initial)
  useEffect(() => {
    const again = () => setView(read())
    again()
    return watchKeyring(again)
  }, [read])
  return view
}
