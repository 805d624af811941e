import { postOnlyLoader } from '~/ui/http.server'
import { reviewerAction } from '~/review/reviewer-api.server'

export const loader = postOnlyLoader

/** A member's browser pins an inbox identity it has checked: a MAC only its own reviewer key makes. */
export const action = reviewerAction((s, { reviewerId }, body) => s.pins.store(reviewerId, body), 201)
