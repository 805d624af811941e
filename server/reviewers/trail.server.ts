import { TRAIL_ACTIONS } from '#common/trail'
import type { AuditEntry } from '../audit.server'
import type { Connection } from '../db/connection.server'
import { reviewerName } from '../db/reviewers.server'

/** One line of a report's "who opened this" trail, as a reviewer's page shows it. */
export type TrailEntry = { at: string; action: string; reviewerId: string; displayName: string; to?: string }

const inTrail = (e: AuditEntry) => (TRAIL_ACTIONS as readonly string[]).includes(e.action)

function entryOf(e: AuditEntry, displayName: string): TrailEntry {
  const id = e.actor.replace(/^reviewer:/, '')
  // Only a status change's new state is passed on: it is what a reader of the trail needs.
  const to = e.action === 'report.status' && typeof e.detail?.to === 'string' ? e.detail.to : undefined
  return { at: e.at, action: e.action, reviewerId: id, displayName, ...(to ? { to } : {}) }
}

/**
 * What one reviewer's action just recorded, as trail lines: case actions answer with these, so a
 * page shows the server's record rather than its own guess. The name is the actor's own, already
 * read when the action checked who is acting.
 */
export const recordedTrail = (entries: AuditEntry[], displayName: string): TrailEntry[] => entries.filter(inTrail).map((e) => entryOf(e, displayName))

/** A report's whole trail, named from the reviewers table (a removed reviewer keeps the name they acted under). */
export async function trailOf(conn: Connection, entries: AuditEntry[]): Promise<TrailEntry[]> {
  const shown = entries.filter(inTrail)
  const names = new Map<string, string>()
  for (const id of new Set(shown.map((e) => e.actor.replace(/^reviewer:/, '')))) {
    const r = await reviewerName(conn, id)
    if (r) names.set(id, r.display_name)
  }
  return shown.map((e) => entryOf(e, names.get(e.actor.replace(/^reviewer:/, '')) ?? 'A former reviewer'))
}
