import type { LoaderFunctionArgs } from '@remix-run/node'
import { api, getOnlyAction } from '~/ui/http.server'

export const action = getOnlyAction

/** The thread of the report this bearer token is bound to, as opaque envelopes. */
export const loader = ({ request, context }: LoaderFunctionArgs) =>
  api({ request, context }, () => {
    const reportId = context.services.auth.reportFor(request.headers.get('authorization'))
    return context.services.reports.wireThread(reportId)
  })
