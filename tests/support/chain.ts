import { linkOf, sealState, type CaseState, type ChainLink, type Envelope, type InboxKeys } from '../../crypto/index'
import { sqlAll } from './review-api'

/**
 * Where a message written now goes in a report's thread, read from the database as an honest
 * writer's browser would see the thread: the report, the messages a reporter sees and the links
 * of deleted ones, by number. The report id is the row's, which a v2 report also signs.
 */
export async function nextLink(dbFile: string, reportId: string): Promise<ChainLink> {
  const [report] = await sqlAll<{ envelope: string }>(dbFile, 'SELECT envelope FROM reports WHERE id = ?', [reportId])
  const entries = await sqlAll<{ seq: number; envelope: string | null; link: string | null }>(
    dbFile,
    `SELECT seq, envelope, NULL AS link FROM messages WHERE report_id = ?1 AND author_kind IN ('reporter', 'reviewer')
     UNION ALL SELECT seq, NULL, link FROM message_gaps WHERE report_id = ?1 ORDER BY seq`,
    [reportId],
  )
  const last = entries.at(-1)
  const prev = last ? (last.link ?? linkOf(JSON.parse(last.envelope!) as Envelope)) : linkOf(JSON.parse(report.envelope) as Envelope)
  return { report: reportId, n: entries.length + 1, prev }
}

/** A change of status as a reviewer's browser sends it: signed for the reporter's thread. */
export async function signedChange(dbFile: string, reportId: string, inbox: InboxKeys, reporterBoxPk: string, state: CaseState, reviewer = 'Reviewer Wren') {
  const chain = await nextLink(dbFile, reportId)
  return { keyVersion: inbox.keyVersion, signed: { envelope: sealState({ reviewer, chain, state }, inbox, reporterBoxPk), prev: chain.prev } }
}
