import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { ReportsPage } from '~/components/reports-page'
import { requireReviewer } from '~/lib/reviewer-session.server'

export const meta: MetaFunction = () => [{ title: 'Inbox · Candour' }]

export const loader = ({ request, context, params }: LoaderFunctionArgs) => {
  requireReviewer(request, context)
  return { inboxId: params.id ?? '' }
}

export default function InboxReports() {
  const { inboxId } = useLoaderData<typeof loader>()
  return <ReportsPage inboxId={inboxId} />
}
