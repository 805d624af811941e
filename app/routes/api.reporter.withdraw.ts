import { z } from 'zod'
import { parseInput } from '#common/wire'
import { postOnlyLoader } from '~/ui/http.server'
import { reporterAction } from '~/reporter/reporter-api.server'

export const loader = postOnlyLoader

// An explicit yes, so a stray or replayed empty post cannot ask on the reporter's behalf.
const bodySchema = z.strictObject({ confirm: z.literal(true) })

/** The token's own report only: the reporter asks reviewers to withdraw and delete it. */
export const action = reporterAction((s, { reportId }, body) => {
  parseInput(bodySchema, body)
  return s.reports.requestWithdrawal(reportId)
})
