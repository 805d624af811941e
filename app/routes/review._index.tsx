import type { LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { useEffect, useState } from 'react'
import { MembershipStatus } from '~/review/membership-status'
import { loadCrypto } from '~/ui/crypto.client'
import { keyring } from '~/review/keyring.client'
import { requireReviewer } from '~/review/reviewer-session.server'

export const loader = async ({ request, context }: LoaderFunctionArgs) => {
  const session = requireReviewer(request, context)
  const { reviewers, members } = context.services
  const overview = await reviewers.overview(session.reviewerId)
  return { ...overview, waiting: await members.ownPending(session.reviewerId), rotations: await members.rotationsDue(session.reviewerId) }
}

export default function ReviewHome() {
  const data = useLoaderData<typeof loader>()
  const [unlocked, setUnlocked] = useState<Record<string, string> | null>(null)
  useEffect(() => {
    const k = keyring()
    if (!k) return
    void loadCrypto().then((c) => {
      const prints: Record<string, string> = {}
      for (const [id, versions] of k.inboxes) prints[id] = c.fingerprint(versions[versions.length - 1].identity.publicKey)
      setUnlocked(prints)
    })
  }, [])
  return (
    <>
      <h1>Hello, {data.displayName}</h1>
      <MembershipStatus waiting={data.waiting} rotations={data.rotations} />
      {unlocked ? (
        <p className="notice" role="status">
          Your keys are unlocked in this browser tab only. Signing out or closing the tab locks them.
        </p>
      ) : (
        <div className="callout" role="status">
          <p>Your keys are locked: this tab was reloaded or opened afresh, and keys never leave page memory.</p>
          <Link to="/review/sign-in" className="button">
            Unlock with your passkey
          </Link>
        </div>
      )}
      {data.inboxes.length ? (
        <p>
          <Link to="/review/reports" className="button button--small">
            All your reports
          </Link>
        </p>
      ) : null}
      <h2>Your inboxes</h2>
      {data.inboxes.length === 0 ? <p>You are not a member of any inbox yet.</p> : null}
      <ul className="card-list">
        {data.inboxes.map((i) => (
          <li key={i.id} className="card">
            <h3>
              <Link to={`/review/inbox/${i.id}`}>{i.name}</Link>
            </h3>
            {i.description ? <p className="hint">{i.description}</p> : null}
            <p>
              {i.reportCount === 1 ? '1 sealed report' : `${i.reportCount} sealed reports`} · key version {i.keyVersion}
            </p>
            {unlocked?.[i.id] ? (
              <p className="fingerprint">
                Identity fingerprint <code>{unlocked[i.id]}</code>
              </p>
            ) : null}
          </li>
        ))}
      </ul>
      {data.role === 'admin' ? (
        <p>
          <Link to="/review/inboxes">Create or adopt an inbox</Link>
        </p>
      ) : null}
      <p>
        <Link to="/review/settings">Your passkeys and email digest</Link>
      </p>
      <p className="hint">Signed in as {data.role === 'admin' ? 'an admin' : 'a reviewer'}. Every sign-in is recorded in the audit log.</p>
    </>
  )
}
