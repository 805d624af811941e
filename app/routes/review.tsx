import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, Outlet, useLoaderData } from '@remix-run/react'
import { KeyWarnings } from '~/review/key-warning'
import { useKeyExpiry } from '~/review/key-expiry'
import { useFocusHeadingOnNavigate } from '~/review/focus-heading'
import { lock } from '~/review/keyring.client'
import { sessionToken } from '~/review/reviewer-session.server'
import { MainContent } from '~/ui/main-content'
import { pageMessages } from '~/ui/i18n.server'

export const meta: MetaFunction = () => [{ title: 'Candour review' }]

/** Reviewer pages: desktop first, JavaScript required (passkeys and decryption live in the browser). */
// The reporter group carries what both sides show: the report's answers, its categories and roles.
export const loader = (args: LoaderFunctionArgs) => ({
  ...pageMessages(args, ['reporter']),
  signedIn: args.context.services.sessions.check(sessionToken(args.request, args.context)) !== null,
})

// Signing in happens by fetch, not a Remix action, so re-read the session on every navigation.
export const shouldRevalidate = () => true

export default function ReviewLayout() {
  const { signedIn } = useLoaderData<typeof loader>()
  useKeyExpiry()
  useFocusHeadingOnNavigate()
  return (
    <>
      <header className="topbar topbar--review">
        <Link to="/review" className="brand">
          Candour <span className="brand__tag">Review</span>
        </Link>
        {signedIn ? (
          <Form method="post" action="/review/sign-out" onSubmit={() => void lock()}>
            <button type="submit" className="button button--small button--on-dark">
              Sign out
            </button>
          </Form>
        ) : null}
      </header>
      <MainContent wide>
        <noscript>
          <p className="error-summary">Reviewer pages need JavaScript: passkeys and decryption happen in your browser.</p>
        </noscript>
        <KeyWarnings />
        <Outlet />
      </MainContent>
    </>
  )
}
