import { postOnlyLoader } from '~/ui/http.server'
import { reviewerAction } from '~/review/reviewer-api.server'

export const loader = postOnlyLoader

/** An admin's new invitation: the link is answered once and never stored (only its hash is). */
export const action = reviewerAction((s, { reviewerId }, body) => s.invites.create(reviewerId, body), 201)
