/**
 * The case trail: which audited actions a reviewer's page lists under "Who opened this". The
 * server selects exactly these from the audit log; the page words each (app/review/triage-words.ts).
 */
export const TRAIL_ACTIONS = [
  'report.open',
  'report.reply',
  'report.note',
  'report.status',
  'report.assign',
  'report.export',
  'report.withdrawal-declined',
  'message.delete',
] as const

export type TrailAction = (typeof TRAIL_ACTIONS)[number]
