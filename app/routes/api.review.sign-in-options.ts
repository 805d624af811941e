import type { ActionFunctionArgs } from '@remix-run/node'
import { api, onlyPost, postOnlyLoader } from '~/ui/http.server'

export const loader = postOnlyLoader

export const action = ({ request, context }: ActionFunctionArgs) =>
  api(async () => {
    onlyPost(request)
    return context.services.reviewers.signInOptions()
  })
