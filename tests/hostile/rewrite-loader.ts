import type { Rewrite } from './adversary'

/**
 * A server that lies about one route's loader data, in both places a browser reads it: the
 * `window.__remixContext` a full page load hydrates from, and the `?_data=` JSON a navigation
 * inside the app fetches. The inline script carries the response's nonce, so the edited context
 * runs as the server's own would; only its data changes.
 */

const OPEN = 'window.__remixContext = '
const CLOSE = ';</script>'

/** Remix writes the context as JSON with `<` escaped, so no value can close the script early. */
const asScript = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c')

/** Edits `route`'s loader data inside a page's HTML; the page unchanged if it has none. */
export function editContext(html: string, route: string, edit: (data: any) => unknown): string {
  const start = html.indexOf(OPEN)
  if (start < 0) return html
  const from = start + OPEN.length
  const end = html.indexOf(CLOSE, from)
  const context = JSON.parse(html.slice(from, end))
  const loaderData = context.state?.loaderData
  if (!loaderData || !(route in loaderData)) return html
  loaderData[route] = edit(loaderData[route])
  return html.slice(0, from) + asScript(context) + html.slice(end)
}

/**
 * Rewrites the loader data of `route` (a Remix route id, "routes/_reporter.report") wherever it
 * is served: in the HTML of a GET to `path`, and in the JSON of a GET to `path?_data=route`.
 */
export function lieInLoader(path: string, route: string, edit: (data: any) => unknown, where: 'html' | 'data' | 'both' = 'both'): Rewrite {
  return (answer) => {
    if (answer.method !== 'GET' || answer.status !== 200) return undefined
    const url = new URL(answer.url, 'http://adversary')
    if (url.pathname !== path) return undefined
    const type = String(answer.headers['content-type'] ?? '')
    const data = url.searchParams.get('_data')
    if (data === route && type.includes('json') && where !== 'html') return { json: edit(JSON.parse(answer.body.toString('utf8'))) }
    if (data === null && type.includes('html') && where !== 'data') return editContext(answer.body.toString('utf8'), route, edit)
    return undefined
  }
}
