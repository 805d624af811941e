import type { MetaFunction } from '@remix-run/node'
import { Links, Meta, Outlet, isRouteErrorResponse, useRouteError } from '@remix-run/react'
import type { ReactNode } from 'react'
import { ImportMap, IntegrityScripts, Stylesheet } from '~/ui/import-map'
import { useNonce } from '~/ui/nonce'
import { MainContent } from '~/ui/main-content'
import { ReporterHeader } from '~/reporter/reporter-header'
import styles from './styles/app.css'

export const meta: MetaFunction = ({ error }) => [
  {
    title: error
      ? isRouteErrorResponse(error) && error.status === 404
        ? 'Page not found · Candour'
        : 'Something went wrong · Candour'
      : 'Candour: report wrongdoing safely',
  },
  { name: 'robots', content: 'noindex, nofollow' },
  { name: 'referrer', content: 'no-referrer' },
]

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce()
  return (
    <html lang="en-GB">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <ImportMap />
        <link rel="icon" href="data:," />
        <Meta />
        <Stylesheet href={styles} />
        <Links />
      </head>
      <body>
        {/* The first thing a keyboard reaches on every page, so the header need not be tabbed through. */}
        <a href="#main-content" className="skip-link">
          Skip to main content
        </a>
        {children}
        <IntegrityScripts nonce={nonce} />
      </body>
    </html>
  )
}

export default function App() {
  return <Outlet />
}

export function ErrorBoundary() {
  const error = useRouteError()
  const notFound = isRouteErrorResponse(error) && error.status === 404
  return (
    <>
      <ReporterHeader />
      <MainContent>
        <h1 tabIndex={-1}>{notFound ? 'Page not found' : 'Something went wrong'}</h1>
        <p>{notFound ? 'There is no page at this address.' : 'The page could not be shown. Nothing you typed was saved by this error.'}</p>
        <p>
          <a href="/">Go to the start page</a>
        </p>
      </MainContent>
    </>
  )
}
