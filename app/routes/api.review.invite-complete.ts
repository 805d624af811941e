import type { ActionFunctionArgs } from '@remix-run/node'
import { api, onlyPost, postOnlyLoader, readJson } from '~/lib/http.server'
import { setSessionCookie } from '~/lib/reviewer-session.server'

export const loader = postOnlyLoader

/** The invitee's passkey and wrapped key; answers with their (inbox-less) keyring and a session cookie. */
export const action = async ({ request, context }: ActionFunctionArgs) => {
  let token = ''
  const res = await api(async () => {
    onlyPost(request)
    const done = await context.services.invites.complete(await readJson(request))
    token = done.token
    return done.keyring
  }, 201)
  if (token) res.headers.append('Set-Cookie', setSessionCookie(context, token))
  return res
}
