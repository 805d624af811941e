import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Trans } from 'react-i18next'
import { StartActions } from '~/reporter/start-actions'
import { metaT, useT } from '~/ui/i18n'
import { pageMessages } from '~/ui/i18n.server'

export const loader = (args: LoaderFunctionArgs) => pageMessages(args, ['safer'])

export const meta: MetaFunction = ({ matches }) => {
  const t = metaT(matches)
  return [{ title: t('root.title.step', { step: t('safer.heading') }) }]
}

const strong = { strong: <strong /> }

/**
 * How to report without leaving traces: plain advice for an officer on their own phone. Static,
 * server-rendered and complete without JavaScript (Tor Browser "Safest"). What it promises about
 * records must match docs/threat-model.md.
 */
export default function Safer() {
  const t = useT()
  return (
    <>
      <h1>{t('safer.heading')}</h1>
      <p className="lead">{t('safer.lead')}</p>

      <section aria-labelledby="own-phone">
        <h2 id="own-phone">{t('safer.device.heading')}</h2>
        <ul>
          <li>
            <Trans i18nKey="safer.device.own" components={strong} />
          </li>
          <li>
            <Trans i18nKey="safer.device.network" components={strong} />
          </li>
          <li>{t('safer.device.shared')}</li>
        </ul>
      </section>

      <section aria-labelledby="tor">
        <h2 id="tor">{t('safer.tor.heading')}</h2>
        <p>{t('safer.tor.what')}</p>
        <ul>
          <li>
            <Trans i18nKey="safer.tor.get" components={strong} />
          </li>
          <li>
            <Trans i18nKey="safer.tor.safest" components={strong} />
          </li>
          <li>{t('safer.tor.sealed')}</li>
        </ul>
      </section>

      <section aria-labelledby="private-window">
        <h2 id="private-window">{t('safer.private.heading')}</h2>
        <p>{t('safer.private.what')}</p>
        <p>{t('safer.private.notFrom')}</p>
        <ul>
          <li>{t('safer.private.network')}</li>
          <li>{t('safer.private.software')}</li>
          <li>{t('safer.private.shoulder')}</li>
        </ul>
        <p>{t('safer.private.close')}</p>
      </section>

      <section aria-labelledby="receipt" className="callout">
        <h2 id="receipt">{t('safer.receipt.heading')}</h2>
        <p>
          <Trans i18nKey="safer.receipt.what" components={strong} />
        </p>
        <h3>{t('safer.receipt.keeping.heading')}</h3>
        <ul>
          <li>{t('safer.receipt.keeping.paper')}</li>
          <li>{t('safer.receipt.keeping.screenshot')}</li>
          <li>{t('safer.receipt.keeping.email')}</li>
          <li>{t('safer.receipt.keeping.device')}</li>
        </ul>
        <h3>{t('safer.receipt.lost.heading')}</h3>
        <p>{t('safer.receipt.lost.body')}</p>
      </section>

      <section aria-labelledby="records">
        <h2 id="records">{t('safer.records.heading')}</h2>
        <div className="two-lists">
          <div>
            <h3>{t('safer.records.keep.heading')}</h3>
            <ul>
              <li>{t('safer.records.keep.report')}</li>
              <li>{t('safer.records.keep.day')}</li>
              <li>{t('safer.records.keep.status')}</li>
            </ul>
          </div>
          <div>
            <h3>{t('safer.records.never.heading')}</h3>
            <ul>
              <li>{t('safer.records.never.address')}</li>
              <li>{t('safer.records.never.device')}</li>
              <li>{t('safer.records.never.cookies')}</li>
              <li>{t('safer.records.never.receipt')}</li>
              <li>{t('safer.records.never.name')}</li>
            </ul>
          </div>
        </div>
        <p>{t('safer.records.nothingLoaded')}</p>
      </section>

      <section aria-labelledby="leaving">
        <h2 id="leaving">{t('safer.leaving.heading')}</h2>
        <p>
          <Trans i18nKey="safer.leaving.button" components={strong} />
        </p>
        <ul>
          <li>
            <Trans i18nKey="safer.leaving.shift" components={strong} />
          </li>
          <li>{t('safer.leaving.noJs')}</li>
          <li>{t('safer.leaving.back')}</li>
        </ul>
      </section>

      <StartActions />
    </>
  )
}
