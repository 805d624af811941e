import type { NextFunction, Request, Response } from 'express'
import type { ErrorKey } from '#common/errors'

/** The addresses this portal answers at: PUBLIC_URL and, when set, the onion service. */
export type OwnAddresses = () => { origins: string[] }

/** How the app refuses ahead of Remix: in plain text, in the asker's language (server/http.server.ts). */
export type Refuse = (req: Request, res: Response, status: number, refusal: { key: ErrorKey; values?: Record<string, string | number> }) => void

/**
 * Every request must name one of our own addresses, and every state-changing one must come from
 * our own pages, ahead of Remix.
 *
 * Host is checked against the configured addresses, not against the request's own Origin: a page
 * on another name that resolves to this server (DNS rebinding) sends a matching Host and Origin,
 * and comparing the two with each other would let it through.
 *
 * With `Referrer-Policy: no-referrer`, Chromium sends `Origin: null` on our own form posts, which
 * Remix's built-in check would take for an attack and answer with a 500. Here `null` counts as
 * ours only when the browser's `Sec-Fetch-Site: same-origin` confirms it, and is then removed so
 * Remix sees an ordinary same-origin post. Anything cross-site gets a plain 403.
 */
export function sameOriginOnly(own: OwnAddresses, refuse: Refuse) {
  return (req: Request, res: Response, next: NextFunction) => {
    const { origins } = own()
    const hosts = origins.map((o) => new URL(o).host)
    const host = (req.headers.host ?? '').toLowerCase()
    if (!hosts.includes(host)) {
      const [origin, onion] = origins
      return onion
        ? refuse(req, res, 421, { key: 'errors.request.otherAddressTwo', values: { origin, onion } })
        : refuse(req, res, 421, { key: 'errors.request.otherAddress', values: { origin } })
    }

    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return next()
    const site = req.headers['sec-fetch-site']
    const origin = req.headers.origin
    const crossSite = () => refuse(req, res, 403, { key: 'errors.request.crossSite' })

    if (site !== undefined && site !== 'same-origin' && site !== 'none') return crossSite()
    if (origin === 'null') {
      if (site !== 'same-origin') return crossSite()
      delete req.headers.origin
      return next()
    }
    if (origin !== undefined && !origins.includes(origin.toLowerCase())) return crossSite()
    next()
  }
}
