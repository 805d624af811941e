import { postOnlyLoader } from '~/ui/http.server'
import { reviewerAction } from '~/review/reviewer-api.server'

export const loader = postOnlyLoader

/** Records a case-file export before the browser builds it: exports are in the trail. */
export const action = reviewerAction((s, { reviewerId }, body) => s.cases.recordExport(reviewerId, body))
