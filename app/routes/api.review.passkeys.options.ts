import type { ActionFunctionArgs } from '@remix-run/node'
import { api, onlyPost, postOnlyLoader } from '~/ui/http.server'
import { requireReviewer } from '~/review/reviewer-session.server'

export const loader = postOnlyLoader

/** Registration options for another passkey of the signed-in reviewer. */
export const action = ({ request, context }: ActionFunctionArgs) => {
  const session = requireReviewer(request, context, 'api')
  return api(async () => {
    onlyPost(request)
    return context.services.passkeys.addOptions(session)
  })
}
