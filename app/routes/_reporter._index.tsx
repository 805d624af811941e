import type { LoaderFunctionArgs } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { Trans } from 'react-i18next'
import { StartActions } from '~/reporter/start-actions'
import { LangLink, useT } from '~/ui/i18n'
import { pageMessages } from '~/ui/i18n.server'

export const loader = async (args: LoaderFunctionArgs) => ({
  inboxes: (await args.context.services.inboxes.list()).map((i) => ({ name: i.name, description: i.description })),
  ...pageMessages(args, ['landing']),
})

const strong = { strong: <strong /> }

export default function Landing() {
  const { inboxes } = useLoaderData<typeof loader>()
  const t = useT()
  return (
    <>
      <h1>{t('landing.heading')}</h1>
      <p className="lead">{t('landing.lead')}</p>
      <StartActions />

      <section aria-labelledby="readers">
        <h2 id="readers">{t('landing.readers.heading')}</h2>
        {inboxes.length === 0 ? (
          <p>{t('landing.readers.none')}</p>
        ) : (
          <ul className="plain-list">
            {inboxes.map((i) => (
              <li key={i.name}>
                <strong dir="auto">{i.name}</strong>
                {i.description ? (
                  <>
                    : <span dir="auto">{i.description}</span>
                  </>
                ) : null}
              </li>
            ))}
          </ul>
        )}
        <p>{t('landing.readers.only')}</p>
      </section>

      <section aria-labelledby="recorded">
        <h2 id="recorded">{t('landing.recorded.heading')}</h2>
        <div className="two-lists">
          <div>
            <h3>{t('landing.recorded.keep.heading')}</h3>
            <ul>
              <li>{t('landing.recorded.keep.report')}</li>
              <li>{t('landing.recorded.keep.day')}</li>
              <li>{t('landing.recorded.keep.status')}</li>
            </ul>
          </div>
          <div>
            <h3>{t('landing.recorded.never.heading')}</h3>
            <ul>
              <li>{t('landing.recorded.never.name')}</li>
              <li>{t('landing.recorded.never.address')}</li>
              <li>{t('landing.recorded.never.cookies')}</li>
              <li>{t('landing.recorded.never.receipt')}</li>
            </ul>
          </div>
        </div>
        <p>
          <Trans i18nKey="landing.recorded.receipt" components={strong} />
        </p>
      </section>

      <section aria-labelledby="safety" className="callout">
        <h2 id="safety">{t('landing.safety.heading')}</h2>
        <ul>
          <li>
            <Trans i18nKey="landing.safety.device" components={strong} />
          </li>
          <li>
            <Trans i18nKey="landing.safety.network" components={strong} />
          </li>
          <li>
            <Trans i18nKey="landing.safety.tor" components={strong} />
          </li>
          <li>{t('landing.safety.private')}</li>
          <li>{t('landing.safety.words')}</li>
        </ul>
        <p>
          <Trans i18nKey="landing.safety.quickExit" components={strong} />
        </p>
        <p>
          <Trans i18nKey="landing.safety.more" components={{ safer: <LangLink to="/safer" /> }} />
        </p>
      </section>
    </>
  )
}
