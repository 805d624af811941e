import type { ActionFunctionArgs } from '@remix-run/node'
import { z } from 'zod'
import { parseInput } from '#common/wire'
import { api, onlyPost, postOnlyLoader, readJson } from '~/ui/http.server'

export const loader = postOnlyLoader

// An explicit yes, so a stray or replayed empty post cannot ask on the reporter's behalf.
const bodySchema = z.strictObject({ confirm: z.literal(true) })

/** The token's own report only: the reporter asks reviewers to withdraw and delete it. */
export const action = ({ request, context }: ActionFunctionArgs) =>
  api(async () => {
    onlyPost(request)
    const reportId = context.services.auth.reportFor(request.headers.get('authorization'))
    parseInput(bodySchema, await readJson(request))
    return context.services.reports.requestWithdrawal(reportId)
  })
