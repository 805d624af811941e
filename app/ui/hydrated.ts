import { useEffect, useState } from 'react'

let hydrated = false

/** True once JavaScript runs in the page: controls that need JS render only then. */
export function useHydrated(): boolean {
  const [isHydrated, setHydrated] = useState(hydrated)
  useEffect(() => {
    hydrated = true
    setHydrated(true)
  }, [])
  return isHydrated
}
