import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, Outlet, useLoaderData } from '@remix-run/react'
import { QuickExit } from '~/components/quick-exit'

export const loader = ({ context }: LoaderFunctionArgs) => ({ quickExitUrl: context.services.config.quickExitUrl })

export default function ReporterLayout() {
  const { quickExitUrl } = useLoaderData<typeof loader>()
  return (
    <>
      <header className="topbar">
        <Link to="/" className="brand">
          Candour
        </Link>
        <QuickExit href={quickExitUrl} />
      </header>
      <main className="page" id="main">
        <Outlet />
      </main>
      <footer className="footer">
        <nav aria-label="Reporter pages">
          <Link to="/">About</Link>
          <Link to="/report">Make a report</Link>
          <Link to="/check">Check replies</Link>
        </nav>
        <p>No cookies, no trackers, no record of your address or device.</p>
      </footer>
    </>
  )
}
