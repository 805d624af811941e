import { postOnlyLoader } from '~/ui/http.server'
import { reviewerAction } from '~/review/reviewer-api.server'

export const loader = postOnlyLoader

/** Deletes one message of a thread for good, with a reason from a fixed list (admins who are members only). */
export const action = reviewerAction((s, { reviewerId }, body) => s.deletions.deleteMessage(reviewerId, body))
