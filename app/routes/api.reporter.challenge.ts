import { jsonAction, postOnlyLoader } from '~/ui/http.server'

export const loader = postOnlyLoader

/** Sign-in step one; the proof of work (decision 12) is spent before the locator is looked up. */
export const action = jsonAction((s, body) => s.auth.challenge(s.pow.redeem(body, 'sign-in')))
