import { jsonAction, postOnlyLoader } from '~/ui/http.server'

export const loader = postOnlyLoader

export const action = jsonAction((s, body) => ({ token: s.auth.login(body).token }))
