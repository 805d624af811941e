import type { ActionFunctionArgs, AppLoadContext } from '@remix-run/node'
import type { Services } from '#server/services.server'
import { redirect } from '@remix-run/node'
import { parse, serialize } from 'cookie'
import { withLang } from '#common/i18n/lang-url'
import { UserError } from '#common/errors'
import { jsonAction } from '~/ui/http.server'

/**
 * The reviewer's session cookie: HttpOnly, SameSite=Strict, and `__Host-` with Secure whenever
 * the portal is served over HTTPS (a browser refuses `__Host-` cookies without Secure).
 */
function cookieName(context: AppLoadContext) {
  return secure(context) ? '__Host-candour_review' : 'candour_review'
}
const secure = (context: AppLoadContext) => context.services.config.publicUrl.protocol === 'https:'

export function sessionToken(request: Request, context: AppLoadContext): string | undefined {
  return parse(request.headers.get('cookie') ?? '')[cookieName(context)]
}

export function setSessionCookie(context: AppLoadContext, token: string): string {
  // No Max-Age: a browser session cookie; the server enforces idle and absolute limits.
  return serialize(cookieName(context), token, { httpOnly: true, sameSite: 'strict', secure: secure(context), path: '/' })
}

export function clearSessionCookie(context: AppLoadContext): string {
  return serialize(cookieName(context), '', { httpOnly: true, sameSite: 'strict', secure: secure(context), path: '/', maxAge: 0 })
}

/** The signed-in reviewer, or a redirect to sign-in for pages (a 401 for JSON routes, which run inside api()). */
export function requireReviewer(request: Request, context: AppLoadContext, kind: 'page' | 'api' = 'page') {
  const session = context.services.sessions.check(sessionToken(request, context))
  if (session) return session
  if (kind === 'api') throw new UserError(401, 'errors.request.signInFirst')
  throw redirect(withLang('/review/sign-in', context.services.i18n.requestLang(request)))
}

/**
 * A POSTed JSON ceremony that signs a reviewer in: answers with the keyring, plus the session
 * cookie once it succeeded. Whatever session this browser had before ends, so an old cookie
 * value is worth nothing.
 */
export const sessionAction =
  (fn: (services: Services, body: unknown) => Promise<{ token: string; keyring: unknown }>, status = 200) =>
  async (args: ActionFunctionArgs) => {
    let token = ''
    const res = await jsonAction(async (s, body) => {
      const done = await fn(s, body)
      token = done.token
      return done.keyring
    }, status)(args)
    if (token) {
      args.context.services.sessions.end(sessionToken(args.request, args.context))
      res.headers.append('Set-Cookie', setSessionCookie(args.context, token))
    }
    return res
  }
