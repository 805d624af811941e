import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { startServer, type RunningServer } from '../support/server'

/**
 * A server that lies: the real Candour server behind a proxy that can rewrite any answer. The
 * browser only ever talks to the proxy, whose address is the portal's PUBLIC_URL, so passkeys,
 * same-origin checks and cookies work exactly as they would for a hostile operator.
 *
 * The adversary holds no key: it sees what the server sees (sealed values) and can only reshape
 * them, which is the power a server that lies has.
 */
export type Answer = {
  method: string
  /** Path and query, as the browser asked for it. */
  url: string
  status: number
  headers: http.IncomingHttpHeaders
  body: Buffer
}

/** Returns a new body (string or Buffer, or a value to send as JSON) or undefined to pass the answer through. */
export type Rewrite = (answer: Answer) => string | Buffer | { json: unknown } | undefined

/** Returns a new request body, or undefined to forward it as sent. */
export type RewriteRequest = (req: { method: string; url: string; body: Buffer }) => Buffer | undefined

export type Adversary = {
  /** The address the browser uses. */
  url: string
  server: RunningServer
  /** Replaces the current lie (undefined: tell the truth). */
  lie: (rewrite?: Rewrite, rewriteRequest?: RewriteRequest) => void
  /** Method and path of every request seen, in order. */
  seen: string[]
  stop: () => Promise<void>
}

export async function startAdversary(opts: { env?: Record<string, string>; dataDir?: string } = {}): Promise<Adversary> {
  let rewrite: Rewrite | undefined
  let rewriteRequest: RewriteRequest | undefined
  const seen: string[] = []
  // Known once the server is up; no request reaches the proxy before then.
  const upstreamAt: { url?: URL } = {}

  const proxy = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const method = req.method ?? 'GET'
      const url = req.url ?? '/'
      seen.push(`${method} ${url}`)
      const sent = Buffer.concat(chunks)
      const body = rewriteRequest?.({ method, url, body: sent }) ?? sent
      // Plain bodies, so a lie can be written into them; Host is kept, so the server sees its own name.
      const headers = { ...req.headers, 'content-length': String(body.length) }
      delete headers['accept-encoding']
      delete headers['transfer-encoding']
      const upstream = http.request({ host: upstreamAt.url!.hostname, port: upstreamAt.url!.port, method, path: url, headers }, (up) => {
        const got: Buffer[] = []
        up.on('data', (c: Buffer) => got.push(c))
        up.on('end', () => {
          const answer: Answer = { method, url, status: up.statusCode ?? 502, headers: up.headers, body: Buffer.concat(got) }
          const changed = rewrite?.(answer)
          const out =
            changed === undefined
              ? answer.body
              : Buffer.isBuffer(changed)
                ? changed
                : typeof changed === 'string'
                  ? Buffer.from(changed)
                  : Buffer.from(JSON.stringify(changed.json))
          const outHeaders = { ...up.headers, 'content-length': String(out.length) }
          delete outHeaders['transfer-encoding']
          delete outHeaders['content-encoding']
          res.writeHead(answer.status, outHeaders)
          res.end(out)
        })
      })
      upstream.on('error', () => {
        res.writeHead(502, { 'content-type': 'text/plain' })
        res.end('upstream failed')
      })
      upstream.end(body)
    })
  })
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
  const url = `http://localhost:${(proxy.address() as AddressInfo).port}`
  const server = await startServer({ dataDir: opts.dataDir, env: { PUBLIC_URL: url, ...opts.env } })
  upstreamAt.url = new URL(server.url)

  return {
    url,
    server,
    seen,
    lie: (r, rr) => {
      rewrite = r
      rewriteRequest = rr
    },
    stop: async () => {
      await new Promise<void>((resolve) => proxy.close(() => resolve()))
      proxy.closeAllConnections()
      await server.stop()
    },
  }
}

/** A Rewrite that edits the JSON answer of one route (matched on method and path without query). */
export function jsonAt(method: string, path: RegExp, edit: (body: any, answer: Answer) => unknown): Rewrite {
  return (answer) => {
    const bare = answer.url.split('?')[0]!
    if (answer.method !== method || !path.test(bare) || !String(answer.headers['content-type'] ?? '').includes('json')) return undefined
    return { json: edit(JSON.parse(answer.body.toString('utf8')), answer) }
  }
}
