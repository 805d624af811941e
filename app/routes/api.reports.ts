import { jsonAction, postOnlyLoader } from '~/ui/http.server'

export const loader = postOnlyLoader

/** A report sealed in the browser: opaque values only, after a spent proof of work (decision 12). */
export const action = jsonAction((s, body) => s.reports.submitSealed(s.pow.redeem(body, 'report')), 201)
