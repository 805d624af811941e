import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { ReportsPage } from '~/review/reports-page'
import { requireReviewer } from '~/review/reviewer-session.server'
import { metaT } from '~/ui/i18n'
import { pageMessages } from '~/ui/i18n.server'

export const meta: MetaFunction = ({ matches }) => {
  const t = metaT(matches)
  return [{ title: t('triage.list.inboxTitle') }]
}

export const loader = async ({ request, context, params }: LoaderFunctionArgs) => {
  const { reviewerId } = requireReviewer(request, context)
  const inboxId = params.id ?? ''
  // Not a member, or no such inbox: the same answer, so the page says nothing about either.
  if (!(await context.services.triage.mayRead(reviewerId, { inboxId }))) throw new Response('Not found', { status: 404 })
  return { inboxId, ...pageMessages({ request, context }, ['triage']) }
}

export default function InboxReports() {
  const { inboxId } = useLoaderData<typeof loader>()
  return <ReportsPage inboxId={inboxId} />
}
