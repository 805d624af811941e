// The Remix bundle and the server each load their own copy of this module, so a class check
// (instanceof) would fail across them; a registry symbol is the same in both.
const BRAND = Symbol.for('candour.user-error')

/** A refusal the user caused and can act on: always a 4xx with a message safe to show. */
export class UserError extends Error {
  readonly [BRAND] = true
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 410 | 411 | 413 | 415 | 429,
    message: string,
    /** Machine-readable advice for our own pages, e.g. {retry: 'pow'}: fetch a new proof of work and send again. */
    readonly hint?: { retry: 'pow' },
  ) {
    super(message)
    this.name = 'UserError'
  }
}

export const isUserError = (e: unknown): e is UserError =>
  typeof e === 'object' && e !== null && (e as Record<symbol, unknown>)[BRAND] === true
