import { postOnlyLoader } from '~/ui/http.server'
import { reviewerAction } from '~/review/reviewer-api.server'

export const loader = postOnlyLoader

export const action = reviewerAction(async (s, { reviewerId }, body) => {
  await s.custody.adopt(reviewerId, body)
  return { ok: true }
}, 201)
