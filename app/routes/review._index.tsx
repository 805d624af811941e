import type { LoaderFunctionArgs } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { useEffect, useState } from 'react'
import { MembershipStatus } from '~/review/membership-status'
import { loadCrypto } from '~/ui/crypto.client'
import { keyring, watchKeyring } from '~/review/keyring.client'
import { requireReviewer } from '~/review/reviewer-session.server'
import { LangLink, useT } from '~/ui/i18n'
import { pageMessages } from '~/ui/i18n.server'

export const loader = async (args: LoaderFunctionArgs) => {
  const { request, context } = args
  const session = requireReviewer(request, context)
  const { reviewers, members } = context.services
  const overview = await reviewers.overview(session.reviewerId)
  // The members group words the key rotations this page may run after someone was removed.
  return {
    ...pageMessages(args, ['members']),
    ...overview,
    waiting: await members.ownPending(session.reviewerId),
    rotations: await members.rotationsDue(session.reviewerId),
  }
}

export default function ReviewHome() {
  const data = useLoaderData<typeof loader>()
  const t = useT()
  const [unlocked, setUnlocked] = useState<Record<string, string> | null>(null)
  useEffect(() => {
    // Again whenever the keyring changes: an inbox joins it once its approver's fingerprint is checked.
    const read = () => {
      const k = keyring()
      if (!k) return setUnlocked(null)
      void loadCrypto().then((c) => {
        const prints: Record<string, string> = {}
        for (const [id, versions] of k.inboxes) prints[id] = c.fingerprint(versions[versions.length - 1].identity.publicKey)
        setUnlocked(prints)
      })
    }
    read()
    return watchKeyring(read)
  }, [])
  return (
    <>
      <h1>{t('review.home.hello', { name: data.displayName })}</h1>
      <MembershipStatus waiting={data.waiting} rotations={data.rotations} />
      {unlocked ? (
        <p className="notice" role="status">
          {t('review.home.unlocked')}
        </p>
      ) : (
        <div className="callout" role="status">
          <p>{t('review.keysLocked.body')}</p>
          <LangLink to="/review/sign-in" className="button">
            {t('review.keysLocked.unlock')}
          </LangLink>
        </div>
      )}
      {data.inboxes.length ? (
        <p>
          <LangLink to="/review/reports" className="button button--small">
            {t('review.home.allReports')}
          </LangLink>
        </p>
      ) : null}
      <h2>{t('review.home.inboxes')}</h2>
      {data.inboxes.length === 0 ? <p>{t('review.home.noInboxes')}</p> : null}
      <ul className="card-list">
        {data.inboxes.map((i) => (
          <li key={i.id} className="card">
            <h3>
              <LangLink to={`/review/inbox/${i.id}`}>{i.name}</LangLink>
            </h3>
            {i.description ? <p className="hint">{i.description}</p> : null}
            <p>
              {i.reportCount === 1
                ? t('review.home.oneReport', { version: i.keyVersion })
                : t('review.home.reports', { n: i.reportCount, version: i.keyVersion })}
            </p>
            {unlocked?.[i.id] ? (
              <p className="fingerprint">
                {t('review.home.fingerprint')} <code>{unlocked[i.id]}</code>
              </p>
            ) : null}
          </li>
        ))}
      </ul>
      {data.role === 'admin' ? (
        <p>
          <LangLink to="/review/inboxes">{t('review.home.manageInboxes')}</LangLink>
        </p>
      ) : null}
      <p>
        <LangLink to="/review/settings">{t('review.home.settings')}</LangLink>
      </p>
      <p className="hint">{data.role === 'admin' ? t('review.home.signedInAdmin') : t('review.home.signedInReviewer')}</p>
    </>
  )
}
