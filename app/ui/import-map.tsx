import { Scripts } from '@remix-run/react'
import { cloneElement, createContext, isValidElement, useContext, type ReactNode } from 'react'
import { useNonce } from './nonce'

/**
 * The page's import map names the SHA-384 of every script (and style) the page may ever load, so
 * the HTML fixes every byte of code the browser runs: a modulepreload, a static import or a route
 * module imported later gets its integrity from here (HTML's "resolve a module integrity
 * metadata"), and a file whose bytes differ is refused, not run. Each modulepreload carries its
 * hash as well: a preload without one would not count for the import that follows (Chromium
 * fetches the file again), and the page should say in its own tags what it expects. Lazy route discovery is off
 * (remix.config.js), so no module address ever comes from anywhere but the hashed manifest.
 */
type Integrity = Readonly<Record<string, string>>

const IntegrityContext = createContext<Integrity | null>(null)
/** The server passes the hashes it computed at start (server/release.server.ts). */
export const IntegrityProvider = IntegrityContext.Provider

let fromPage: Integrity | undefined
/** In the browser, the hashes are the ones the page arrived with: the import map is never rewritten. */
function pageIntegrity(): Integrity {
  if (fromPage) return fromPage
  const text = typeof document === 'undefined' ? '' : (document.querySelector('script[type="importmap"]')?.textContent ?? '')
  try {
    const parsed = JSON.parse(text || '{}') as { integrity?: unknown }
    fromPage = parsed.integrity && typeof parsed.integrity === 'object' ? (parsed.integrity as Integrity) : {}
  } catch {
    fromPage = {}
  }
  return fromPage
}

export function useIntegrity(): Integrity {
  return useContext(IntegrityContext) ?? pageIntegrity()
}

/** Goes first in <head>: an import map must be in place before any module is fetched. */
export function ImportMap() {
  const nonce = useNonce()
  const integrity = useIntegrity()
  // `<` never occurs in a URL path or a hash; escaped anyway so the text cannot end the script.
  const json = JSON.stringify({ integrity }).replace(/</g, '\\u003c')
  return <script type="importmap" nonce={nonce} suppressHydrationWarning dangerouslySetInnerHTML={{ __html: json }} />
}

/** A stylesheet link that carries its hash too. */
export function Stylesheet({ href }: { href: string }) {
  const integrity = useIntegrity()[href]
  return <link rel="stylesheet" href={href} integrity={integrity} />
}

/** Remix's <Scripts>, with every modulepreload link it renders carrying its hash. */
export function IntegrityScripts({ nonce }: { nonce: string }) {
  const integrity = useIntegrity()
  // Called as a function so its output can be read: it renders the same hooks in the same order.
  return <>{withIntegrity(Scripts({ nonce }), integrity)}</>
}

function withIntegrity(node: ReactNode, integrity: Integrity): ReactNode {
  if (Array.isArray(node)) return node.map((n: ReactNode) => withIntegrity(n, integrity))
  if (!isValidElement(node)) return node
  const props = node.props as { rel?: string; href?: string; children?: ReactNode }
  if (node.type === 'link' && props.rel === 'modulepreload' && props.href)
    return cloneElement(node, { integrity: integrity[props.href] } as Record<string, unknown>)
  if (props.children === undefined) return node
  return cloneElement(node, undefined, withIntegrity(props.children, integrity))
}
