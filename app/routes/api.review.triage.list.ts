import { postOnlyLoader } from '~/ui/http.server'
import { reviewerAction } from '~/review/reviewer-api.server'

export const loader = postOnlyLoader

/** An inbox's reports as opaque rows for a member's browser to open (POST like every reviewer API: same-origin checked). */
export const action = reviewerAction((s, { reviewerId }, body) => s.triage.list(reviewerId, body))
