import type { ActionFunctionArgs } from '@remix-run/node'
import { api, onlyPost, postOnlyLoader, readJson } from '~/ui/http.server'
import { clearSessionCookie, requireReviewer } from '~/review/reviewer-session.server'

export const loader = postOnlyLoader

/** Removes one of the reviewer's passkeys; removing the one of this session also ends it. */
export const action = async ({ request, context }: ActionFunctionArgs) => {
  const session = requireReviewer(request, context, 'api')
  let signedOut = false
  const res = await api(async () => {
    onlyPost(request)
    const done = await context.services.passkeys.remove(session, await readJson(request))
    signedOut = done.signedOut
    return done
  })
  if (signedOut) res.headers.append('Set-Cookie', clearSessionCookie(context))
  return res
}
