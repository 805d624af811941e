import type { ActionFunctionArgs } from '@remix-run/node'
import { api, onlyPost, postOnlyLoader, readJson } from '~/ui/http.server'

export const loader = postOnlyLoader

export const action = ({ request, context }: ActionFunctionArgs) =>
  api(async () => {
    onlyPost(request)
    return context.services.invites.options(await readJson(request))
  })
