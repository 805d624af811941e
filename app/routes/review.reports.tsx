import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { ReportsPage } from '~/review/reports-page'
import { requireReviewer } from '~/review/reviewer-session.server'

export const meta: MetaFunction = () => [{ title: 'All reports · Candour' }]

export const loader = ({ request, context }: LoaderFunctionArgs) => {
  requireReviewer(request, context)
  return null
}

/** Every report in every inbox this reviewer belongs to, with the inbox as one more filter. */
export default function AllReports() {
  return <ReportsPage />
}
