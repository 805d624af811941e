import { postOnlyLoader } from '~/ui/http.server'
import { reviewerAction } from '~/review/reviewer-api.server'

export const loader = postOnlyLoader

/** A new inbox key version, made and signed in a member's browser. */
export const action = reviewerAction((s, { reviewerId }, body) => s.members.rotate(reviewerId, body), 201)
