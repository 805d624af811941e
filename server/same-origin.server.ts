import type { NextFunction, Request, Response } from 'express'

/**
 * Cross-site request refusal for every state-changing request, ahead of Remix.
 *
 * With `Referrer-Policy: no-referrer`, Chromium sends `Origin: null` on our own form posts, which
 * Remix's built-in check would take for an attack and answer with a 500. Here `null` counts as
 * ours only when the browser's `Sec-Fetch-Site: same-origin` confirms it, and is then removed so
 * Remix sees an ordinary same-origin post. Anything cross-site gets a plain 403.
 */
export function sameOriginOnly(req: Request, res: Response, next: NextFunction) {
  if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return next()
  const site = req.headers['sec-fetch-site']
  const origin = req.headers.origin
  const refuse = () =>
    res.status(403).type('text/plain; charset=utf-8').send('This request came from another site, so it was refused.')

  if (site !== undefined && site !== 'same-origin' && site !== 'none') return refuse()
  if (origin === 'null') {
    if (site !== 'same-origin') return refuse()
    delete req.headers.origin
    return next()
  }
  if (origin !== undefined) {
    let host: string
    try {
      host = new URL(origin).host
    } catch {
      return refuse()
    }
    if (host !== req.headers.host) return refuse()
  }
  next()
}
