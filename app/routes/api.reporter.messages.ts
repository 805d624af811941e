import type { ActionFunctionArgs } from '@remix-run/node'
import { api, onlyPost, postOnlyLoader, readJson } from '~/ui/http.server'

export const loader = postOnlyLoader

/**
 * A follow-up sealed and signed in the browser, added to the token's own report only, and charged
 * to the session's and the report's budgets (a 429 in words once either is spent).
 */
export const action = ({ request, context }: ActionFunctionArgs) =>
  api(async () => {
    onlyPost(request)
    const { reportId, spent } = context.services.auth.sessionFor(request.headers.get('authorization'))
    await context.services.reports.addFollowupSealed(reportId, await readJson(request), spent)
    return { ok: true }
  }, 201)
