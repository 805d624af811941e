import { postOnlyLoader } from '~/ui/http.server'
import { reviewerAction } from '~/review/reviewer-api.server'

export const loader = postOnlyLoader

export const action = reviewerAction((s, { reviewerId }, body) => s.members.decline(reviewerId, body))
