import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Links, Meta, Outlet, isRouteErrorResponse, useLocation, useRouteError } from '@remix-run/react'
import type { ReactNode } from 'react'
import { ImportMap, IntegrityScripts, Stylesheet } from '~/ui/import-map'
import { useNonce } from '~/ui/nonce'
import { MainContent } from '~/ui/main-content'
import { ReporterHeader } from '~/reporter/reporter-header'
import { I18nRoot, LangLink, metaT, useLang, useT } from '~/ui/i18n'
import { rootMessages } from '~/ui/i18n.server'
import { withLang } from '#common/i18n/lang-url'
import styles from './styles/app.css'

/** The page's language (from its address), the languages to switch to, and the words every page shows. */
export const loader = (args: LoaderFunctionArgs) => rootMessages(args)

export const meta: MetaFunction = ({ error, matches }) => {
  const t = metaT(matches)
  return [
    {
      title: error ? (isRouteErrorResponse(error) && error.status === 404 ? t('root.title.notFound') : t('root.title.error')) : t('root.title.site'),
    },
    { name: 'robots', content: 'noindex, nofollow' },
    { name: 'referrer', content: 'no-referrer' },
  ]
}

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce()
  const { tag } = useLang()
  return (
    <html lang={tag}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <ImportMap />
        <link rel="icon" href="data:," />
        <Meta />
        <Alternates />
        <Stylesheet href={styles} />
        <Links />
      </head>
      <body>
        <I18nRoot>
          <SkipLink />
          {children}
        </I18nRoot>
        <IntegrityScripts nonce={nonce} />
      </body>
    </html>
  )
}

/** The same page in each language, so a browser or a screen reader can offer the other. */
function Alternates() {
  const { languages } = useLang()
  const { pathname, search } = useLocation()
  return (
    <>
      {languages.map((l) => (
        <link key={l.code} rel="alternate" hrefLang={l.tag} href={withLang(pathname + search, l.code)} />
      ))}
    </>
  )
}

/** The first thing a keyboard reaches on every page, so the header need not be tabbed through. */
function SkipLink() {
  const t = useT()
  return (
    <a href="#main-content" className="skip-link">
      {t('root.skipLink')}
    </a>
  )
}

export default function App() {
  return <Outlet />
}

export function ErrorBoundary() {
  const error = useRouteError()
  const t = useT()
  const notFound = isRouteErrorResponse(error) && error.status === 404
  return (
    <>
      <ReporterHeader />
      <MainContent>
        <h1 tabIndex={-1}>{notFound ? t('root.notFound.heading') : t('root.error.heading')}</h1>
        <p>{notFound ? t('root.notFound.body') : t('root.error.body')}</p>
        <p>
          <LangLink to="/" reloadDocument>
            {t('root.startPage')}
          </LangLink>
        </p>
      </MainContent>
    </>
  )
}
