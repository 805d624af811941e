import type { BlobService } from '../blobs.server'
import type { I18nService } from '../i18n.server'
import type { InboxService } from '../inboxes.server'
import type { FormBudget } from '../rate-limits.server'
import type { ReportService } from '../reports.server'
import type { PlainReports } from './reports.server'

/**
 * What the no-JS path calls: the same services the JS path uses, the shared form budget, and the
 * catalogues, for the refusals a step shows on its own page.
 */
export type PlainPathDeps = { blobs: BlobService; forms: FormBudget; i18n: I18nService; inboxes: InboxService; reports: ReportService }

/** What the steps use: the report service's no-JS side in place of the service itself. */
export type PlainSteps = Omit<PlainPathDeps, 'reports'> & { reports: PlainReports }
