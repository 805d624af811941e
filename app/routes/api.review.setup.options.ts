import { jsonAction, postOnlyLoader } from '~/ui/http.server'

export const loader = postOnlyLoader

export const action = jsonAction((s, body) => s.reviewers.setupOptions(body))
