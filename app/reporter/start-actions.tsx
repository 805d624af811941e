import { Link } from '@remix-run/react'

/** The two ways in for a reporter, on every page that explains rather than asks. */
export function StartActions() {
  return (
    <div className="actions">
      <Link className="button" to="/report">
        Make a report
      </Link>
      <Link className="button button--secondary" to="/check">
        Check replies
      </Link>
    </div>
  )
}
