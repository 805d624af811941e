import type { ActionFunctionArgs } from '@remix-run/node'
import { postOnlyLoader } from '~/ui/http.server'
import { reviewerAction } from '~/review/reviewer-api.server'
import { clearSessionCookie } from '~/review/reviewer-session.server'

export const loader = postOnlyLoader

/** Removes one of the reviewer's passkeys; removing the one of this session also ends it, cookie and all. */
export const action = async (args: ActionFunctionArgs) => {
  let signedOut = false
  const res = await reviewerAction(async (s, session, body) => {
    const done = await s.passkeys.remove(session, body)
    signedOut = done.signedOut
    return done
  })(args)
  if (signedOut) res.headers.append('Set-Cookie', clearSessionCookie(args.context))
  return res
}
