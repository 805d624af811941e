import { postOnlyLoader } from '~/ui/http.server'
import { reviewerAction } from '~/review/reviewer-api.server'

export const loader = postOnlyLoader

/** Stores a new passkey with R.sk wrapped by it in the reviewer's browser. */
export const action = reviewerAction((s, session, body) => s.passkeys.add(session, body), 201)
