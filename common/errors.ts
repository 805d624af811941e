/**
 * A refusal with a message safe to show: a 4xx the user caused and can act on, or a 503 when
 * the portal cannot take the request right now (its storage is full) and nothing was saved.
 */
export class UserError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 410 | 411 | 413 | 415 | 429 | 503,
    message: string,
    /** Machine-readable advice for our own pages, e.g. {retry: 'pow'}: fetch a new proof of work and send again. */
    readonly hint?: { retry: 'pow' },
  ) {
    super(message)
    this.name = 'UserError'
  }
}

export const isUserError = (e: unknown): e is UserError => e instanceof UserError

/** What every write answers when the disk is full: SQLite has rolled the transaction back whole. */
export const STORAGE_FULL = "Candour's storage is full, so nothing was saved. Please try again later."
