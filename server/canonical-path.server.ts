import type { ServerBuild } from '@remix-run/node'
import type { NextFunction, Request, Response } from 'express'

/**
 * One spelling per address. Remix (react-router) matches routes ignoring case and trailing
 * slashes, and the request URL it builds decodes %xx and resolves dot segments; so without this
 * `/Report`, `/check/`, `/%63heck` and `/report/../check` all reached the same actions. Limits
 * now live inside the actions, and this makes the canonical form the only one that arrives.
 */

/** What our addresses are made of: route names, base64url ids, and the `$` of built route modules' names. */
const PATH_CHARS = /^[A-Za-z0-9._~/$-]*$/

/**
 * GET or HEAD with a trailing slash or doubled slashes: a permanent redirect to the clean form
 * (people type these). Anything else not canonical, and any POST to such a spelling: a plain 404.
 * Generic on purpose: it names no route. Case is left to the routes, which are case-sensitive
 * (caseSensitiveRoutes), because ids mix cases.
 */
export function canonicalPath(req: Request, res: Response, next: NextFunction) {
  const path = req.path
  if (!PATH_CHARS.test(path) || !path.startsWith('/') || path.split('/').some((s) => s === '.' || s === '..')) return notFound(res)
  const clean = path.replace(/\/{2,}/g, '/').replace(/(.)\/$/, '$1')
  if (clean === path) return next()
  if (req.method !== 'GET' && req.method !== 'HEAD') return notFound(res)
  const query = req.originalUrl.indexOf('?')
  // `clean` starts with exactly one '/', so the redirect cannot leave this origin.
  res.redirect(308, clean + (query === -1 ? '' : req.originalUrl.slice(query)))
}

function notFound(res: Response) {
  res.status(404).type('text/plain; charset=utf-8').send('There is no page at this address.')
}

/** The server build with every route matched case-sensitively (Remix's default ignores case). */
export function caseSensitiveRoutes(build: ServerBuild): ServerBuild {
  return {
    ...build,
    routes: Object.fromEntries(Object.entries(build.routes).map(([id, route]) => [id, { ...route, caseSensitive: true }])),
  }
}
