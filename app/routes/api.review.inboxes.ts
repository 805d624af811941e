import type { ActionFunctionArgs } from '@remix-run/node'
import { api, onlyPost, postOnlyLoader, readJson } from '~/ui/http.server'
import { requireReviewer } from '~/review/reviewer-session.server'

export const loader = postOnlyLoader

/** An admin's browser made a new inbox's keys and sealed them to the admin: store the public half. */
export const action = ({ request, context }: ActionFunctionArgs) =>
  api(async () => {
    onlyPost(request)
    const { reviewerId } = requireReviewer(request, context, 'api')
    return context.services.custody.create(reviewerId, await readJson(request))
  }, 201)
