import { postOnlyLoader } from '~/ui/http.server'
import { reviewerAction } from '~/review/reviewer-api.server'

export const loader = postOnlyLoader

/** A status change along the allowed path; its reason arrives sealed as an internal note. */
export const action = reviewerAction((s, { reviewerId }, body) => s.cases.setStatus(reviewerId, body))
