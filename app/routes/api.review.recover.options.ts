import { jsonAction, postOnlyLoader } from '~/ui/http.server'

export const loader = postOnlyLoader

/** Finds the reviewer by the lookup id of a recovery key; answers with a proof challenge. */
export const action = jsonAction((s, body) => s.passkeys.recoverOptions(body))
