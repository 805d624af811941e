import type { Answer } from '~/ui/wire'
import { useEffect, useState } from 'react'
import { categoryLabel, readAnswers, roleLabel, type Answers } from '#common/report-fields'
import type { Translate } from '#common/i18n/translate'
import { useT } from '~/ui/i18n'
import { callApi } from '~/ui/api.client'
import { loadCrypto } from '~/ui/crypto.client'
import { keyring } from './keyring.client'
import { inboxKey, type ReportState } from './triage.client'
import type { Listing } from '~/ui/wire'
import { said, sayWith } from '#common/i18n/message'

export type ListedReport = Listing['reports'][number]
/**
 * A row once opened here: categories and search text exist only in this browser's memory. Only
 * an 'open' row has categories; a locked or unreadable one is found by its name alone.
 */
export type OpenedRow = ListedReport & { retentionDays: number; state: ReportState; categories: string[] | null; haystack: string }
export type ReportsState =
  | { phase: 'locked' }
  | { phase: 'error'; error: string }
  | { phase: 'opening'; done: number; total: number }
  | { phase: 'ready'; listing: Listing; rows: OpenedRow[] }

// Yield to the page this often, so a big inbox shows progress instead of freezing the tab.
const SLICE = 400

/**
 * Fetches opaque rows and opens them in this tab with the unlocked inbox keys. Timing marks let
 * `npm run bench:inbox` separate fetching, opening and rendering.
 */
export function useOpenedReports(inboxId?: string): ReportsState {
  const t = useT()
  const [state, setState] = useState<ReportsState>({ phase: 'opening', done: 0, total: 0 })
  useEffect(() => {
    if (!keyring()) return setState({ phase: 'locked' })
    let live = true
    void (async () => {
      try {
        const [c, listing] = await Promise.all([
          loadCrypto(),
          callApi<Answer<typeof import('~/routes/api.review.triage.list').action>>('/api/review/triage/list', {
            body: inboxId ? { inboxId } : {},
            cookies: true,
          }),
        ])
        performance.mark('candour:reports-fetched')
        const retention = new Map(listing.inboxes.map((i) => [i.id, i.retentionDays]))
        const rows: OpenedRow[] = []
        let opening = 0
        let sliceStart = performance.now()
        for (const r of listing.reports) {
          rows.push(openRow(c, r, retention.get(r.inboxId) ?? 365, t))
          if (rows.length % SLICE === 0) {
            opening += performance.now() - sliceStart
            if (!live) return
            setState({ phase: 'opening', done: rows.length, total: listing.reports.length })
            await new Promise((resolve) => setTimeout(resolve, 0))
            sliceStart = performance.now()
          }
        }
        opening += performance.now() - sliceStart
        // Only the time spent opening, without the pauses that let the page paint.
        performance.measure('candour:open-boxes', { start: 0, duration: opening })
        if (live) setState({ phase: 'ready', listing, rows })
      } catch (err) {
        if (live) setState({ phase: 'error', error: sayWith(t, said(err)) })
      }
    })()
    return () => {
      live = false
    }
  }, [inboxId])
  return state
}

function openRow(c: Awaited<ReturnType<typeof loadCrypto>>, r: ListedReport, retentionDays: number, t: Translate): OpenedRow {
  const key = inboxKey(r.inboxId, r.keyVersion)
  let answers: Answers | null = null
  try {
    const opened = key ? c.openReport(r.envelope, { as: 'inbox', inbox: key.encryption }) : null
    if (opened?.verified) answers = readAnswers(opened.answers)
  } catch {
    // shown as "could not be read"
  }
  const haystack = [
    r.pseudonym,
    ...(answers
      ? [
          answers.whatHappened,
          answers.when,
          answers.where,
          answers.who,
          answers.contact,
          roleLabel(t, answers.role),
          ...answers.categories.map((id) => categoryLabel(t, id)),
        ]
      : []),
  ]
    .join('\n')
    .toLocaleLowerCase('en-GB')
  return { ...r, retentionDays, state: !key ? 'locked' : answers ? 'open' : 'unreadable', categories: answers ? answers.categories : null, haystack }
}
