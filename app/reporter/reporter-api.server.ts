import { jsonActionAs } from '~/ui/http.server'

/**
 * A receipt holder's JSON POST: the bearer token from their sign-in is checked first (401
 * without a live one), and the call touches that report only.
 */
export const reporterAction = jsonActionAs((request, context) => context.services.auth.sessionFor(request.headers.get('authorization')))
