import { postOnlyLoader } from '~/ui/http.server'
import { reviewerAction } from '~/review/reviewer-api.server'

export const loader = postOnlyLoader

/** Answers with the rotations the remover can do at once, as a member of the affected inboxes. */
export const action = reviewerAction((s, { reviewerId }, body) => s.members.remove(reviewerId, body))
