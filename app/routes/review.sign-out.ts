import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { withLang } from '#common/i18n/lang-url'
import { clearSessionCookie, sessionToken } from '~/review/reviewer-session.server'

export const loader = ({ request, context }: LoaderFunctionArgs) => redirect(withLang('/review', context.services.i18n.requestLang(request)))

/** Ends the session here and tells the browser to drop whatever it kept for the site. */
export const action = async ({ request, context }: ActionFunctionArgs) => {
  const token = sessionToken(request, context)
  const session = context.services.sessions.check(token)
  await context.services.reviewers.signOut(token, session?.reviewerId)
  return redirect(withLang('/review/sign-in?signed-out=1', context.services.i18n.requestLang(request)), {
    headers: { 'Set-Cookie': clearSessionCookie(context), 'Clear-Site-Data': '"cache", "storage"' },
  })
}
