import { postOnlyLoader } from '~/ui/http.server'
import { reviewerAction } from '~/review/reviewer-api.server'

export const loader = postOnlyLoader

/** An inbox made before the key log, logged by a member's browser: every existing version, signed once. */
export const action = reviewerAction((s, { reviewerId }, body) => s.members.logExisting(reviewerId, body), 201)
