import { postOnlyLoader } from '~/ui/http.server'
import { sessionAction } from '~/review/reviewer-session.server'

export const loader = postOnlyLoader

/** Verifies one passkey assertion; answers with the reviewer's wrapped keys and a session cookie. */
export const action = sessionAction((s, body) => s.reviewers.signIn(body))
