import type { ActionFunctionArgs } from '@remix-run/node'
import { api, onlyPost, postOnlyLoader, readJson } from '~/ui/http.server'

export const loader = postOnlyLoader

/** Who an invitation names, for the invitee to check before enrolling (POST: the token stays out of URLs). */
export const action = ({ request, context }: ActionFunctionArgs) =>
  api(async () => {
    onlyPost(request)
    return context.services.invites.describe(await readJson(request))
  })
