import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { ReportsPage } from '~/review/reports-page'
import { requireReviewer } from '~/review/reviewer-session.server'
import { metaT } from '~/ui/i18n'
import { pageMessages } from '~/ui/i18n.server'

export const meta: MetaFunction = ({ matches }) => {
  const t = metaT(matches)
  return [{ title: t('triage.list.allTitle') }]
}

export const loader = ({ request, context }: LoaderFunctionArgs) => {
  requireReviewer(request, context)
  return pageMessages({ request, context }, ['triage'])
}

/** Every report in every inbox this reviewer belongs to, with the inbox as one more filter. */
export default function AllReports() {
  return <ReportsPage />
}
