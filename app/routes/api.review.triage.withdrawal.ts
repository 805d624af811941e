import { postOnlyLoader } from '~/ui/http.server'
import { reviewerAction } from '~/review/reviewer-api.server'

export const loader = postOnlyLoader

/** Accepts (deleting the thread for good) or declines a reporter's request to withdraw. */
export const action = reviewerAction((s, { reviewerId }, body) => s.cases.decideWithdrawal(reviewerId, body))
