import { postOnlyLoader } from '~/ui/http.server'
import { reporterAction } from '~/reporter/reporter-api.server'

export const loader = postOnlyLoader

/** The token's own report only: its browser seals what it verified last, for its next visit. */
export const action = reporterAction((s, { reportId }, body) => s.reports.replaceSelfNote(reportId, body))
