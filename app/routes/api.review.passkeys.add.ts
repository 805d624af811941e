import type { ActionFunctionArgs } from '@remix-run/node'
import { api, onlyPost, postOnlyLoader, readJson } from '~/ui/http.server'
import { requireReviewer } from '~/review/reviewer-session.server'

export const loader = postOnlyLoader

/** Stores a new passkey with R.sk wrapped by it in the reviewer's browser. */
export const action = ({ request, context }: ActionFunctionArgs) => {
  const session = requireReviewer(request, context, 'api')
  return api(async () => {
    onlyPost(request)
    return context.services.passkeys.add(session, await readJson(request))
  }, 201)
}
