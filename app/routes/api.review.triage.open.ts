import { postOnlyLoader } from '~/ui/http.server'
import { reviewerAction } from '~/review/reviewer-api.server'

export const loader = postOnlyLoader

/** Opens one report: a POST, because every opening is written to the audit log. */
export const action = reviewerAction((s, { reviewerId }, body) => s.triage.open(reviewerId, body))
