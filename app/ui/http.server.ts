import { json, type ActionFunctionArgs } from '@remix-run/node'
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
 * A JSON POST anyone may send (reporters, and reviewers before they have a session): the body is
 * read as JSON, then the service call; a refusal is its 4xx with {error}.
 */
export const jsonAction =
  <T>(fn: (services: Services, body: unknown, request: Request) => Promise<T> | T, status = 200) =>
  ({ request, context }: ActionFunctionArgs) =>
    api(async () => {
      onlyPost(request)
      return fn(context.services, await readJson(request), request)
    }, status)
