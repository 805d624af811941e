import { postOnlyLoader } from '~/ui/http.server'
import { reviewerAction } from '~/review/reviewer-api.server'

export const loader = postOnlyLoader

/** A member's browser sealed every key version of the inbox to the requester. */
export const action = reviewerAction((s, { reviewerId }, body) => s.members.approve(reviewerId, body))
