import pino from 'pino'
import { logLevelFrom } from './config.server'

/**
 * The one process log: JSON lines on stdout, for the operator. It records that the server started,
 * where it listens, and that something failed (by error name only). It never records requests:
 * there is no per-request line for any route, and nothing here is ever given an address, a user
 * agent, a cookie, a receipt, a locator, a body or a reporter's timing. The redaction below is a
 * second line of defence should someone pass such a thing by mistake; it is not the plan.
 */
export const log = pino({
  level: logLevelFrom(process.env),
  base: null,
  redact: {
    paths: [
      'req',
      'res',
      'request',
      'headers',
      'body',
      'cookie',
      'cookies',
      'ip',
      'ips',
      'userAgent',
      'receipt',
      'locator',
      'token',
      'signature',
      'envelope',
      'payload',
      'message',
      'text',
      'err.message',
      'err.stack',
      'error.message',
      'error.stack',
      '*.headers',
      '*.body',
      '*.cookie',
      '*.receipt',
      '*.locator',
      '*.token',
      '*.envelope',
      '*.payload',
    ],
    remove: true,
  },
})

/** What may be logged about a failure: its kind, never its text (which could quote input). */
export function errorName(error: unknown): string {
  if (error instanceof Error) return error.name
  return typeof error
}
