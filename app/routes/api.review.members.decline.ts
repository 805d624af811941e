import { postOnlyLoader } from '~/lib/http.server'
import { reviewerAction } from '~/lib/reviewer-api.server'

export const loader = postOnlyLoader

export const action = reviewerAction((s, reviewerId, body) => s.members.decline(reviewerId, body))
