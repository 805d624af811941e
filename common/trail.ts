/**
 * The case trail: which audited actions a reviewer's page lists under "Who opened this", and the
 * words it uses for each. The server selects exactly these from the audit log.
 */
export const TRAIL_WORDS = {
  'report.open': 'opened this report',
  'report.reply': 'replied',
  'report.note': 'added an internal note',
  'report.status': 'changed the status',
  'report.assign': 'changed who it is assigned to',
  'report.export': 'exported a case-file copy',
  'report.withdrawal-declined': "declined the reporter's request to withdraw",
  'message.delete': 'deleted a message that could not be read',
} as const

export type TrailAction = keyof typeof TRAIL_WORDS
export const TRAIL_ACTIONS = Object.keys(TRAIL_WORDS) as TrailAction[]
export const trailWords = (action: string) => (Object.hasOwn(TRAIL_WORDS, action) ? TRAIL_WORDS[action as TrailAction] : action)
