import { Link, Outlet } from '@remix-run/react'
import { ReporterHeader } from '~/reporter/reporter-header'
import { MainContent } from '~/ui/main-content'

export default function ReporterLayout() {
  return (
    <>
      <ReporterHeader />
      <MainContent>
        <Outlet />
      </MainContent>
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
