import { postOnlyLoader } from '~/ui/http.server'
import { reviewerAction } from '~/review/reviewer-api.server'

export const loader = postOnlyLoader

/** How long an inbox keeps closed reports (admins only). */
export const action = reviewerAction((s, { reviewerId }, body) => s.cases.setRetention(reviewerId, body))
