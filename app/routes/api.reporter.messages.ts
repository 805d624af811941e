import { postOnlyLoader } from '~/ui/http.server'
import { reporterAction } from '~/reporter/reporter-api.server'

export const loader = postOnlyLoader

/**
 * A follow-up sealed and signed in the browser, added to the token's own report only, and charged
 * to the session's and the report's budgets (a 429 in words once either is spent).
 */
export const action = reporterAction(async (s, { reportId, spent }, body) => {
  await s.reports.addFollowupSealed(reportId, body, spent)
  return { ok: true }
}, 201)
