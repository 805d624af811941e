import { postOnlyLoader } from '~/ui/http.server'
import { reviewerAction } from '~/review/reviewer-api.server'

export const loader = postOnlyLoader

/** An internal note sealed to the inbox only: never shown to the reporter. */
export const action = reviewerAction((s, { reviewerId }, body) => s.triage.note(reviewerId, body))
