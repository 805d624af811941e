import type { ActionFunctionArgs } from '@remix-run/node'
import { postOnlyLoader } from '~/ui/http.server'
import { reviewerAction } from '~/review/reviewer-api.server'
import { clearSessionCookie } from '~/review/reviewer-session.server'

export const loader = postOnlyLoader

const remove = reviewerAction((s, session, body) => s.passkeys.remove(session, body))

/** Removes one of the reviewer's passkeys; removing the one of this session also ends it, cookie and all. */
export const action = async (args: ActionFunctionArgs) => {
  const res = await remove(args)
  if (res.ok && ((await res.clone().json()) as { signedOut?: boolean }).signedOut) res.headers.append('Set-Cookie', clearSessionCookie(args.context))
  return res
}
