import { postOnlyLoader } from '~/ui/http.server'
import { sessionAction } from '~/review/reviewer-session.server'

export const loader = postOnlyLoader

/** The proof of R.sk, a new passkey and a new recovery key; answers with the keyring and a session cookie. */
export const action = sessionAction((s, body) => s.passkeys.recover(body), 201)
