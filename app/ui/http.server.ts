import { json, type ActionFunctionArgs, type AppLoadContext } from '@remix-run/node'
import type { Services } from '#server/services.server'
import { isUserError, UserError, type ErrorKey } from '#common/errors'

/** What every boundary needs of a request: the request, to know its language, and the services that word it. */
type Asked = { request: Request; context: AppLoadContext }

/** Reads a JSON body; anything else is the client's mistake, answered with a 4xx. */
export async function readJson(request: Request): Promise<unknown> {
  if (!/^application\/json\b/i.test(request.headers.get('content-type') ?? '')) throw new UserError(415, 'errors.request.sendJson')
  try {
    return await request.json()
  } catch {
    throw new UserError(400, 'errors.request.badJson')
  }
}

/** A refusal as our JSON routes answer it, in the language our fetches ask for. */
export const jsonRefusal = ({ request, context }: Asked, err: UserError) => {
  const { i18n } = context.services
  return json({ error: i18n.refusal(i18n.apiLang(request), err), ...err.hint }, { status: err.status })
}

/** Runs an API handler: a UserError becomes its 4xx with {error}; anything else is our bug. */
export async function api<T>(asked: Asked, fn: () => Promise<T> | T, status = 200) {
  try {
    return json(await fn(), { status })
  } catch (err) {
    if (isUserError(err)) return jsonRefusal(asked, err)
    throw err
  }
}

/**
 * Runs a no-JS page action: its answer, or, for a refusal, the page's own way of saying it, in
 * the language of the page's address. Any other error is our bug and goes to the error boundary.
 */
export async function pageAction<T, R>({ request, context }: Asked, fn: () => Promise<T>, refused: (message: string, err: UserError) => R): Promise<T | R> {
  try {
    return await fn()
  } catch (err) {
    if (!isUserError(err)) throw err
    const { i18n } = context.services
    return refused(i18n.refusal(i18n.requestLang(request), err), err)
  }
}

export const onlyPost = (request: Request) => {
  if (request.method !== 'POST') throw new UserError(400, 'errors.request.usePost')
}

/** For JSON routes that take one method: the other gets a clear 405, not Remix's generic error. */
const wrongMethod =
  (allow: 'GET' | 'POST', key: ErrorKey) =>
  ({ request, context }: Asked) => {
    const { i18n } = context.services
    return json({ error: i18n.refusal(i18n.apiLang(request), { key }) }, { status: 405, headers: { Allow: allow } })
  }
export const postOnlyLoader = wrongMethod('POST', 'errors.request.postOnly')
export const getOnlyAction = wrongMethod('GET', 'errors.request.getOnly')

/**
 * A JSON POST, in the one order every JSON route keeps: POST only (a 400), then who is asking (a
 * 401 before the body is read), then the body as JSON (a 415 or 400), then the service call.
 * `identify` is the one thing the kinds of route differ in.
 */
export const jsonActionAs =
  <Who>(identify: (request: Request, context: AppLoadContext) => Who) =>
  <T>(fn: (services: Services, who: Who, body: unknown) => Promise<T> | T, status = 200) =>
  ({ request, context }: ActionFunctionArgs) =>
    api(
      { request, context },
      async () => {
        onlyPost(request)
        const who = identify(request, context)
        return fn(context.services, who, await readJson(request))
      },
      status,
    )

const anyone = jsonActionAs(() => null)

/** A JSON POST anyone may send (reporters, and reviewers before they have a session). */
export const jsonAction = <T>(fn: (services: Services, body: unknown) => Promise<T> | T, status = 200) => anyone((s, _who, body) => fn(s, body), status)
