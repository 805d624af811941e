import { Link, Outlet } from '@remix-run/react'
import { QuickExit } from '~/reporter/quick-exit'

export default function ReporterLayout() {
  return (
    <>
      <header className="topbar">
        <Link to="/" className="brand">
          Candour
        </Link>
        <QuickExit />
      </header>
      <main className="page" id="main">
        <Outlet />
      </main>
      <footer className="footer">
        <nav aria-label="Reporter pages">
          <Link to="/">About</Link>
          <Link to="/report">Make a report</Link>
          <Link to="/check">Check replies</Link>
          <Link to="/safer">Safer reporting</Link>
        </nav>
        <p>No cookies, no trackers, no record of your address or device.</p>
      </footer>
    </>
  )
}
