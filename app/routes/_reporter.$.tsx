/**
 * Any address no other route takes. Matched as a route (not left to Remix's own 404) so the
 * root loader runs first and the "Page not found" page is in the language the address asks for.
 */
const notFound = () => {
  throw new Response('There is no page at this address.', { status: 404 })
}

export const loader = notFound
export const action = notFound

/** Never shown: the loader always throws. A page route, so the thrown 404 renders the root's error page. */
export default function NotFound() {
  return null
}
