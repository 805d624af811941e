import type { ActionFunctionArgs } from '@remix-run/node'
import type { Services } from '#server/services.server'
import { api, onlyPost, readJson } from '~/ui/http.server'

export type ReporterSession = ReturnType<Services['auth']['sessionFor']>

/**
 * A receipt holder's JSON POST: the bearer token from their sign-in is checked first (401
 * without a live one), then the body is read as JSON and the call touches that report only.
 */
export const reporterAction =
  <T>(fn: (services: Services, session: ReporterSession, body: unknown) => Promise<T>, status = 200) =>
  ({ request, context }: ActionFunctionArgs) =>
    api(async () => {
      onlyPost(request)
      const session = context.services.auth.sessionFor(request.headers.get('authorization'))
      return fn(context.services, session, await readJson(request))
    }, status)
