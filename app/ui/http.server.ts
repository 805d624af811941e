import { json, type ActionFunctionArgs, type AppLoadContext } from '@remix-run/node'
import type { Services } from '#server/services.server'
import { isUserError, UserError } from '#common/errors'

/** Reads a JSON body; anything else is the client's mistake, answered with a 4xx. */
export async function readJson(request: Request): Promise<unknown> {
  if (!/^application\/json\b/i.test(request.headers.get('content-type') ?? '')) throw new UserError(415, 'Send JSON (Content-Type: application/json).')
  try {
    return await request.json()
  } catch {
    throw new UserError(400, 'The request body is not valid JSON.')
  }
}

/** Runs an API handler: a UserError becomes its 4xx with {error}; anything else is our bug. */
export async function api<T>(fn: () => Promise<T> | T, status = 200) {
  try {
    return json(await fn(), { status })
  } catch (err) {
    if (isUserError(err)) return json({ error: err.message, ...err.hint }, { status: err.status })
    throw err
  }
}

/**
 * Runs a no-JS page action: its answer, or, for a refusal, the page's own way of saying it. Any
 * other error is our bug and goes to the error boundary.
 */
export async function pageAction<T, R>(fn: () => Promise<T>, refused: (err: UserError) => R): Promise<T | R> {
  try {
    return await fn()
  } catch (err) {
    if (isUserError(err)) return refused(err)
    throw err
  }
}

export const onlyPost = (request: Request) => {
  if (request.method !== 'POST') throw new UserError(400, 'Use POST.')
}

/** For JSON routes that only take POST: a GET gets a clear 405, not Remix's generic error. */
export const postOnlyLoader = () => json({ error: 'Use POST for this address.' }, { status: 405, headers: { Allow: 'POST' } })
export const getOnlyAction = () => json({ error: 'Use GET for this address.' }, { status: 405, headers: { Allow: 'GET' } })

/**
 * A JSON POST, in the one order every JSON route keeps: POST only (a 400), then who is asking (a
 * 401 before the body is read), then the body as JSON (a 415 or 400), then the service call.
 * `identify` is the one thing the kinds of route differ in.
 */
export const jsonActionAs =
  <Who>(identify: (request: Request, context: AppLoadContext) => Who) =>
  <T>(fn: (services: Services, who: Who, body: unknown) => Promise<T> | T, status = 200) =>
  ({ request, context }: ActionFunctionArgs) =>
    api(async () => {
      onlyPost(request)
      const who = identify(request, context)
      return fn(context.services, who, await readJson(request))
    }, status)

const anyone = jsonActionAs(() => null)

/** A JSON POST anyone may send (reporters, and reviewers before they have a session). */
export const jsonAction = <T>(fn: (services: Services, body: unknown) => Promise<T> | T, status = 200) => anyone((s, _who, body) => fn(s, body), status)
