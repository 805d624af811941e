import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Outlet, useLoaderData } from '@remix-run/react'
import { KeyWarnings } from '~/review/key-warning'
import { GrantChecks } from '~/review/grant-check'
import { useKeyExpiry } from '~/review/key-expiry'
import { useFocusHeadingOnNavigate } from '~/ui/focus-heading'
import { lock } from '~/review/keyring.client'
import { sessionToken } from '~/review/reviewer-session.server'
import { LangLink, metaT, useLangHref, useT } from '~/ui/i18n'
import { pageMessages } from '~/ui/i18n.server'
import { LanguageSwitch } from '~/ui/language-switch'
import { MainContent } from '~/ui/main-content'

export const meta: MetaFunction = ({ matches }) => {
  const t = metaT(matches)
  return [{ title: t('review.title') }]
}

/** Reviewer pages: desktop first, JavaScript required (passkeys and decryption live in the browser). */
// The reporter group carries what both sides show: the report's answers, its categories and roles.
export const loader = (args: LoaderFunctionArgs) => ({
  signedIn: args.context.services.sessions.check(sessionToken(args.request, args.context)) !== null,
  ...pageMessages(args, ['review', 'reporter']),
})

// Signing in happens by fetch, not a Remix action, so re-read the session on every navigation.
export const shouldRevalidate = () => true

export default function ReviewLayout() {
  const { signedIn } = useLoaderData<typeof loader>()
  const t = useT()
  const href = useLangHref()
  useKeyExpiry()
  useFocusHeadingOnNavigate()
  return (
    <>
      <header className="topbar topbar--review">
        <LangLink to="/review" className="brand">
          Candour <span className="brand__tag">{t('review.header.brand')}</span>
        </LangLink>
        <LanguageSwitch />
        {signedIn ? (
          <Form method="post" action={href('/review/sign-out')} onSubmit={() => void lock()}>
            <button type="submit" className="button button--small button--on-dark">
              {t('review.header.signOut')}
            </button>
          </Form>
        ) : null}
      </header>
      <MainContent wide>
        <noscript>
          <p className="error-summary">{t('review.noscript')}</p>
        </noscript>
        <KeyWarnings />
        <GrantChecks />
        <Outlet />
      </MainContent>
    </>
  )
}
