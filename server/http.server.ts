import path from 'node:path'
import { createRequestHandler } from '@remix-run/express'
import type { ServerBuild } from '@remix-run/node'
import compression from 'compression'
import express, { type NextFunction, type Request, type Response } from 'express'
import helmet from 'helmet'
import { randomBytes } from '#crypto'
import { FILE_LIMITS, LIMITS } from '#common/limits'
import { RELEASE_MANIFEST_PATH } from '#common/release'
import { sameOriginOnly, type Refuse } from './same-origin.server'
import { canonicalPath, caseSensitiveRoutes } from './canonical-path.server'
import { contentSecurityPolicy } from './csp.server'
import { pageIntegrity } from './release.server'
import type { Services } from './services.server'

type Refusal = Parameters<Refuse>[3]

/** `integrity`: the SHA-384 of every script and style a page may load, by URL, for its import map. */
export type AppLoadContext = { services: Services; cspNonce: string; integrity: Readonly<Record<string, string>> }

/**
 * The Express app: security headers, body limits, static assets and Remix. No request logging:
 * reporter requests must leave no trace, and nothing here reads the client's address.
 */
/**
 * `assets`: the SHA-384 of every file in publicDir, by URL (server/release.server.ts); `release`: the
 * signed release manifest's text, served as it is when a release is configured.
 */
export function createApp(services: Services, build: ServerBuild, publicDir: string, code: { assets: Record<string, string>; release?: string }) {
  const { release } = code
  const app = express()
  const integrity = pageIntegrity(code.assets)
  app.disable('x-powered-by')
  app.set('trust proxy', false)

  app.use((_req, res, next) => {
    res.locals.cspNonce = Buffer.from(randomBytes(16)).toString('base64')
    next()
  })
  const https = services.config.publicUrl.protocol === 'https:'
  const onion = services.config.onionOrigin
  const onionHost = onion ? new URL(onion).hostname : undefined
  // A request that came through the onion service is plain http: no upgrade-insecure-requests.
  const headers = { main: securityHeaders(https), onion: securityHeaders(false) }
  app.use((req, res, next) => (onionHost && req.hostname === onionHost ? headers.onion : headers.main)(req, res, next))
  app.use((req, res, next) => {
    res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()')
    // Tor Browser offers the onion service instead: no exit node, no DNS lookup of our name. Not
    // on reviewer pages: passkeys are bound to PUBLIC_URL and would not work at the onion.
    if (onion && req.hostname !== onionHost && !/^\/(api\/)?review(\/|$)/.test(req.path)) res.setHeader('Onion-Location', `${onion}${req.originalUrl}`)
    next()
  })
  // Not for /api/: its answers are short JSON or sealed envelopes (random bytes that do not
  // compress), and skipping it saves CPU on the submit hot path; pages still get gzip.
  const compress = compression()
  app.use((req, res, next) => (req.path.startsWith('/api/') ? next() : compress(req, res, next)))

  // Not even the scripts and styles are cached: a cached /build file on an officer's phone shows
  // the portal was visited (ADR 0011). The cost is re-downloading them on every visit.
  const assets = { cacheControl: false, etag: false, lastModified: false, index: false, setHeaders: noStore }
  // One spelling per address, assets included (the limits are inside the actions and routes).
  app.use(canonicalPath)
  // Public, so anyone can compare what the site serves with what was released.
  if (release) app.get(RELEASE_MANIFEST_PATH, (_req, res) => res.type('application/json; charset=utf-8').send(release))
  app.use('/build', express.static(path.join(publicDir, 'build'), assets))
  app.use(express.static(publicDir, assets))

  /**
   * Evidence arrives in its own requests: encrypted pieces with JavaScript, and without it a
   * multipart form to /report or /check, streamed through encryption (never buffered whole).
   */
  const { files } = services.config
  const mib = (b: number) => `${Math.round(b / 1024 / 1024)} MiB`
  const bodyLimit = (req: Request): { bytes: number; refusal: Refusal } => {
    if (/^\/api\/files\/[A-Za-z0-9_-]{22}$/.test(req.path))
      return { bytes: FILE_LIMITS.uploadRequestBytes + 1024, refusal: { key: 'errors.request.pieceTooLarge' } }
    if ((req.path === '/report' || req.path === '/check') && /^multipart\/form-data/i.test(req.headers['content-type'] ?? ''))
      return {
        bytes: files.maxBytes * Math.max(1, files.perMessage) + LIMITS.requestBytes,
        refusal: { key: 'errors.request.filesTooLarge', values: { size: mib(files.maxBytes), max: files.perMessage } },
      }
    return { bytes: LIMITS.requestBytes, refusal: { key: 'errors.request.tooLarge', values: { kib: LIMITS.requestBytes / 1024 } } }
  }
  /**
   * Refused before Remix sees the request, in the asker's language all the same: our fetches name
   * it in Accept-Language, pages in ?lang=.
   */
  const refuse: Refuse = (req, res, status, { key, values }) => {
    const { i18n } = services
    const lang = req.path.startsWith('/api/') ? i18n.acceptedLang(req.get('accept-language')) : req.query.lang
    res
      .status(status)
      .type('text/plain; charset=utf-8')
      .send(i18n.refusal(typeof lang === 'string' ? lang : '', { key, values }))
  }

  // Every page is personal or sensitive: never cached, by the browser or anything in between.
  app.use((req, res, next) => {
    res.setHeader('Cache-Control', 'no-store')
    const declared = req.headers['content-length']
    if (req.method === 'GET' || req.method === 'HEAD') return next()
    if (declared === undefined) {
      if (req.headers['transfer-encoding']) return refuse(req, res, 411, { key: 'errors.request.needLength' })
      return next()
    }
    const n = Number(declared)
    if (!Number.isSafeInteger(n) || n < 0) return refuse(req, res, 400, { key: 'errors.request.badLength' })
    const limit = bodyLimit(req)
    if (n > limit.bytes) return refuse(req, res, 413, limit.refusal)
    next()
  })

  app.use(sameOriginOnly(() => ({ origins: [services.config.publicUrl.origin, ...(onion ? [onion] : [])] }), refuse))
  app.all(
    '*',
    createRequestHandler({
      build: caseSensitiveRoutes(build),
      mode: services.config.env === 'production' ? 'production' : 'development',
      getLoadContext: (_req, res): AppLoadContext => ({ services, cspNonce: res.locals.cspNonce as string, integrity }),
    }),
  )

  // Only reached by our own bugs or broken transport; never echo the request.
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const status = (err as { status?: number; statusCode?: number }).status ?? (err as { statusCode?: number }).statusCode
    if (status && status >= 400 && status < 500) return refuse(req, res, status, { key: 'errors.request.notUnderstood' })
    services.errors.record(req.path, err)
    if (!res.headersSent) refuse(req, res, 500, { key: 'errors.request.ourFault' })
  })
  return app
}

function securityHeaders(https: boolean) {
  const helmetHeaders = helmet({
    contentSecurityPolicy: false,
    strictTransportSecurity: https ? { maxAge: 63072000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'no-referrer' },
    xFrameOptions: { action: 'deny' },
    crossOriginEmbedderPolicy: false,
    crossOriginOpenerPolicy: { policy: 'same-origin' },
    crossOriginResourcePolicy: { policy: 'same-origin' },
  })
  return (req: Request, res: Response, next: NextFunction) => {
    res.setHeader('Content-Security-Policy', contentSecurityPolicy(res.locals.cspNonce as string, https))
    // On every answer, not only in the root's meta, which a route with a meta of its own replaces.
    res.setHeader('X-Robots-Tag', 'noindex, nofollow')
    helmetHeaders(req, res, next)
  }
}

function noStore(res: Response) {
  res.setHeader('Cache-Control', 'no-store')
}
