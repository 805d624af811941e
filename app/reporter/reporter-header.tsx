import { Link } from '@remix-run/react'
import { QuickExit } from './quick-exit'

/** The reporter pages' header, error pages included: a reporter can land on one mid-report. */
export function ReporterHeader() {
  return (
    <header className="topbar">
      <Link to="/" className="brand">
        Candour
      </Link>
      <QuickExit />
    </header>
  )
}
