import { postOnlyLoader } from '~/ui/http.server'
import { reviewerAction } from '~/review/reviewer-api.server'

export const loader = postOnlyLoader

/** The signed-in reviewer's own email digest: {email, every}, or {email: null} to turn it off. */
export const action = reviewerAction((s, { reviewerId }, body) => s.digests.set(reviewerId, body))
