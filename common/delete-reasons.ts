/**
 * Why an admin deleted a report or a message (ADR 0019). The server keeps the reason in clear in
 * the audit log, so it is one of these words, never free text; the page shows the label.
 */
export const DELETE_REASONS = [
  ['unreadable', 'It cannot be read'],
  ['junk', 'It is junk, a test or abuse'],
  ['duplicate', 'It repeats another report or message'],
] as const

export type DeleteReason = (typeof DELETE_REASONS)[number][0]
export const DELETE_REASON_IDS = DELETE_REASONS.map(([id]) => id) as [DeleteReason, ...DeleteReason[]]
