import type { ActionFunctionArgs } from '@remix-run/node'
import { api, onlyPost, postOnlyLoader, readJson } from '~/lib/http.server'

export const loader = postOnlyLoader

/** A follow-up sealed and signed in the browser, added to the token's own report only. */
export const action = ({ request, context }: ActionFunctionArgs) =>
  api(async () => {
    onlyPost(request)
    const reportId = context.services.auth.reportFor(request.headers.get('authorization'))
    await context.services.reports.addFollowupSealed(reportId, await readJson(request))
    return { ok: true }
  }, 201)
