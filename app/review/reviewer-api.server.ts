import type { ActionFunctionArgs } from '@remix-run/node'
import type { Services } from '#server/services.server'
import { api, onlyPost, readJson } from '~/ui/http.server'
import { requireReviewer, type ReviewerSession } from './reviewer-session.server'

/**
 * A signed-in reviewer's JSON POST: session checked (401 without one), body read as JSON, then
 * the service call, which itself re-checks that the reviewer has not been removed.
 */
export const reviewerAction =
  <T>(fn: (services: Services, session: ReviewerSession, body: unknown) => Promise<T>, status = 200) =>
  ({ request, context }: ActionFunctionArgs) =>
    api(async () => {
      onlyPost(request)
      const session = requireReviewer(request, context, 'api')
      return fn(context.services, session, await readJson(request))
    }, status)
