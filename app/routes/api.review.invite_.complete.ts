import { postOnlyLoader } from '~/ui/http.server'
import { sessionAction } from '~/review/reviewer-session.server'

export const loader = postOnlyLoader

/** The invitee's passkey and wrapped key; answers with their (inbox-less) keyring and a session cookie. */
export const action = sessionAction((s, body) => s.invites.complete(body), 201)
