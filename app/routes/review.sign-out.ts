import type { ActionFunctionArgs } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { clearSessionCookie, sessionToken } from '~/review/reviewer-session.server'

export const loader = () => redirect('/review')

/** Ends the session here and tells the browser to drop whatever it kept for the site. */
export const action = async ({ request, context }: ActionFunctionArgs) => {
  const token = sessionToken(request, context)
  const session = context.services.sessions.check(token)
  await context.services.reviewers.signOut(token, session?.reviewerId)
  return redirect('/review/sign-in?signed-out=1', {
    headers: { 'Set-Cookie': clearSessionCookie(context), 'Clear-Site-Data': '"cache", "storage"' },
  })
}
