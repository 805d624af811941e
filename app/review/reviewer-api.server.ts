import { jsonActionAs } from '~/ui/http.server'
import { requireReviewer } from './reviewer-session.server'

/**
 * A signed-in reviewer's JSON POST: session checked (401 without one), then the service call,
 * which itself re-checks that the reviewer has not been removed.
 */
export const reviewerAction = jsonActionAs((request, context) => requireReviewer(request, context, 'api'))
