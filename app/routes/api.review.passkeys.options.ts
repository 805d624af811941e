import { postOnlyLoader } from '~/ui/http.server'
import { reviewerAction } from '~/review/reviewer-api.server'

export const loader = postOnlyLoader

/** Registration options for another passkey of the signed-in reviewer. */
export const action = reviewerAction((s, session) => s.passkeys.addOptions(session))
