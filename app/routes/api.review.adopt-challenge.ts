import type { ActionFunctionArgs } from '@remix-run/node'
import { api, onlyPost, postOnlyLoader, readJson } from '~/ui/http.server'
import { requireReviewer } from '~/review/reviewer-session.server'

export const loader = postOnlyLoader

export const action = ({ request, context }: ActionFunctionArgs) =>
  api(async () => {
    onlyPost(request)
    const { reviewerId } = requireReviewer(request, context, 'api')
    const body = (await readJson(request)) as { inboxId?: unknown }
    return context.services.custody.adoptChallenge(reviewerId, body?.inboxId)
  })
