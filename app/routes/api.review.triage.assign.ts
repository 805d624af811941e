import { postOnlyLoader } from '~/ui/http.server'
import { reviewerAction } from '~/review/reviewer-api.server'

export const loader = postOnlyLoader

/** Hands a report to a member of its inbox, or to nobody. */
export const action = reviewerAction((s, { reviewerId }, body) => s.cases.assign(reviewerId, body))
