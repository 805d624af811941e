import type errors from './i18n/en/errors.json'

type Leaves<T, P extends string> = { [K in keyof T & string]: T[K] extends string ? `${P}.${K}` : Leaves<T[K], `${P}.${K}`> }[keyof T & string]

/** A message of the `errors` catalogue group: the only words a refusal can carry. */
export type ErrorKey = Leaves<typeof errors, 'errors'>

type Refusal = {
  /** Placeholder values: counts, sizes and names the person already knows, never anything secret. */
  values?: Record<string, string | number>
  /** Machine-readable advice for our own pages, e.g. {retry: 'pow'}: fetch a new proof of work and send again. */
  hint?: { retry: 'pow' }
}

/**
 * A refusal safe to show: a 4xx the user caused and can act on, or a 503 when the portal cannot
 * take the request right now (its storage is full) and nothing was saved. It carries a catalogue
 * key, not words, so each boundary says it in the asker's language; the key is also its message,
 * so a refusal that reaches a log or a stack shows which one it was and nothing it quotes.
 */
export class UserError extends Error {
  readonly values?: Record<string, string | number>
  readonly hint?: { retry: 'pow' }

  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 410 | 411 | 413 | 415 | 429 | 503,
    readonly key: ErrorKey,
    { values, hint }: Refusal = {},
  ) {
    super(key)
    this.name = 'UserError'
    this.values = values
    this.hint = hint
  }
}

export const isUserError = (e: unknown): e is UserError => e instanceof UserError
