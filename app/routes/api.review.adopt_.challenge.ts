import { postOnlyLoader } from '~/ui/http.server'
import { reviewerAction } from '~/review/reviewer-api.server'

export const loader = postOnlyLoader

export const action = reviewerAction(async (s, { reviewerId }, body) => s.custody.adoptChallenge(reviewerId, (body as { inboxId?: unknown } | null)?.inboxId))
