import { postOnlyLoader } from '~/ui/http.server'
import { sessionAction } from '~/review/reviewer-session.server'

export const loader = postOnlyLoader

/** The first admin's passkey, wrapped key and first inbox; answers with the keyring and a session cookie. */
export const action = sessionAction((s, body) => s.reviewers.completeSetup(body), 201)
