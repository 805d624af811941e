import { Link } from '@remix-run/react'

/** Keys live in page memory only, so a reload or a fresh tab needs another passkey touch. */
export function KeysLocked() {
  return (
    <>
      <h1>Unlock your keys</h1>
      <div className="callout" role="status">
        <p>Your keys are locked: this tab was reloaded or opened afresh, and keys never leave page memory.</p>
        <Link to="/review/sign-in" className="button">
          Unlock with your passkey
        </Link>
      </div>
    </>
  )
}
