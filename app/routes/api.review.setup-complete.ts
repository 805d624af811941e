import type { ActionFunctionArgs } from '@remix-run/node'
import { api, onlyPost, postOnlyLoader, readJson } from '~/lib/http.server'
import { setSessionCookie } from '~/lib/reviewer-session.server'

export const loader = postOnlyLoader

/** The first admin's passkey, wrapped key and first inbox; answers with a session cookie. */
export const action = async ({ request, context }: ActionFunctionArgs) => {
  let token = ''
  const res = await api(async () => {
    onlyPost(request)
    const done = await context.services.reviewers.completeSetup(await readJson(request))
    token = done.token
    return done.keyring
  }, 201)
  if (token) res.headers.append('Set-Cookie', setSessionCookie(context, token))
  return res
}
