import http from 'node:http'

export type RawResponse = { status: number; location?: string; text: string }

/**
 * One request with the path exactly as written. fetch() tidies a URL first (dot segments,
 * backslashes), which would hide the very spellings the path tests send.
 */
export function rawRequest(
  origin: string,
  method: string,
  path: string,
  body?: { type: string; text: string },
  headers: Record<string, string> = {},
): Promise<RawResponse> {
  const { hostname, port } = new URL(origin)
  return new Promise((resolve, reject) => {
    // Connected by address, but naming the portal as a browser would: it answers only at its own name.
    const all: Record<string, string | number> = { host: new URL(origin).host, ...headers }
    if (body) Object.assign(all, { 'content-type': body.type, 'content-length': Buffer.byteLength(body.text) })
    const req = http.request({ host: hostname === 'localhost' ? '127.0.0.1' : hostname, port, method, path, headers: all, agent: false }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (c) => (text += c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location, text }))
    })
    req.on('error', reject)
    req.end(body?.text)
  })
}
