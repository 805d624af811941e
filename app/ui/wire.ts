import type { SerializeFrom } from '@remix-run/node'
import type { action as openAction } from '~/routes/api.review.triage.open'
import type { action as listAction } from '~/routes/api.review.triage.list'

/**
 * What a reviewer JSON route answers when it succeeds, as the browser receives it: typed from the
 * route's own action, and so from the service behind it, never retyped by hand. A field the
 * server renames or drops breaks the build here, not a page at run time.
 */
export type Answer<A extends (...args: never[]) => unknown> = Exclude<SerializeFrom<A>, { error: string }>

export type Listing = Answer<typeof listAction>
export type OpenedReportWire = Answer<typeof openAction>
