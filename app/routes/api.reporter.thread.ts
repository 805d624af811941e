import type { LoaderFunctionArgs } from '@remix-run/node'
import { api } from '~/lib/http.server'

/** The thread of the report this bearer token is bound to, as opaque envelopes. */
export const loader = ({ request, context }: LoaderFunctionArgs) =>
  api(() => {
    const reportId = context.services.auth.reportFor(request.headers.get('authorization'))
    return context.services.reports.wireThread(reportId)
  })
