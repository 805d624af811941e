import { postOnlyLoader } from '~/ui/http.server'
import { reviewerAction } from '~/review/reviewer-api.server'

export const loader = postOnlyLoader

/** A reply sealed in the reviewer's browser to the inbox and the reporter. */
export const action = reviewerAction((s, { reviewerId }, body) => s.triage.reply(reviewerId, body))
