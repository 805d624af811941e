import { jsonAction, postOnlyLoader } from '~/ui/http.server'

export const loader = postOnlyLoader

/** Who an invitation names, for the invitee to check before enrolling (POST: the token stays out of URLs). */
export const action = jsonAction((s, body) => s.invites.describe(body))
