import { postOnlyLoader } from '~/ui/http.server'
import { reviewerAction } from '~/review/reviewer-api.server'

export const loader = postOnlyLoader

/** An admin's browser made a new inbox's keys and sealed them to the admin: store the public half. */
export const action = reviewerAction((s, { reviewerId }, body) => s.custody.create(reviewerId, body), 201)
