/**
 * The Content-Security-Policy, spelt once: the server sends it, and a release manifest names it
 * (with the nonce left as a slot), so a monitor can tell a served policy from the released one.
 */
const NONCE = '{nonce}'

const DIRECTIVES: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['default-src', ["'none'"]],
  // Scripts only from this site, each also fixed by its hash in the page's import map; inline
  // scripts only with this response's nonce.
  ['script-src', ["'self'", `'nonce-${NONCE}'`, "'wasm-unsafe-eval'"]],
  ['style-src', ["'self'"]],
  // blob: is where a reviewer's browser shows evidence it decrypted itself; nothing else.
  ['img-src', ["'self'", 'data:', 'blob:']],
  ['media-src', ['blob:']],
  ['font-src', ["'self'"]],
  ['connect-src', ["'self'"]],
  ['form-action', ["'self'"]],
  ['frame-ancestors', ["'none'"]],
  ['base-uri', ["'none'"]],
  ['object-src', ["'none'"]],
  ['manifest-src', ["'self'"]],
]

/**
 * The policy with the nonce slot unfilled and without upgrade-insecure-requests (which depends
 * on how the site is reached, not on the release): the form a release manifest records.
 */
export const RELEASE_CSP = DIRECTIVES.map(([name, values]) => `${name} ${values.join(' ')}`).join(';')

/** The policy for one response. */
export function contentSecurityPolicy(nonce: string, https: boolean): string {
  const policy = RELEASE_CSP.replace(`'nonce-${NONCE}'`, `'nonce-${nonce}'`)
  // A request that came through the onion service is plain http: upgrading it to https would
  // break every script and form there.
  return https ? `${policy};upgrade-insecure-requests` : policy
}
