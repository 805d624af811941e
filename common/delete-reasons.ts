/**
 * Why an admin deleted a report or a message (ADR 0019). The server keeps the reason in clear in
 * the audit log, so it is one of these words, never free text; the page shows its catalogue label.
 */
export const DELETE_REASON_IDS = ['unreadable', 'junk', 'duplicate'] as const

export type DeleteReason = (typeof DELETE_REASON_IDS)[number]
