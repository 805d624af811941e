import { postOnlyLoader } from '~/lib/http.server'
import { reviewerAction } from '~/lib/reviewer-api.server'

export const loader = postOnlyLoader

/** Opens one report: a POST, because every opening is written to the audit log. */
export const action = reviewerAction((s, reviewerId, body) => s.triage.open(reviewerId, body))
