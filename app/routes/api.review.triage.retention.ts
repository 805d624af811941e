import { postOnlyLoader } from '~/lib/http.server'
import { reviewerAction } from '~/lib/reviewer-api.server'

export const loader = postOnlyLoader

/** How long an inbox keeps closed reports (admins only). */
export const action = reviewerAction((s, reviewerId, body) => s.cases.setRetention(reviewerId, body))
