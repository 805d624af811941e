import type { ActionFunctionArgs } from '@remix-run/node'
import { api, onlyPost, postOnlyLoader, readJson } from '~/lib/http.server'
import { setSessionCookie } from '~/lib/reviewer-session.server'

export const loader = postOnlyLoader

/** Verifies one passkey assertion; answers with the reviewer's wrapped keys and a session cookie. */
export const action = async ({ request, context }: ActionFunctionArgs) => {
  let token = ''
  const res = await api(async () => {
    onlyPost(request)
    const signedIn = await context.services.reviewers.signIn(await readJson(request))
    token = signedIn.token
    return signedIn.keyring
  })
  if (token) res.headers.append('Set-Cookie', setSessionCookie(context, token))
  return res
}
