import { useRevalidator } from '@remix-run/react'
import { useEffect, useRef, useState } from 'react'
import type { RotationDue } from '#server/reviewers/members.server'
import { keyring } from '~/review/keyring.client'
import { rotateAll } from '~/review/members.client'
import { LangLink, useT } from '~/ui/i18n'

/**
 * The review home's membership part: inboxes this reviewer waits to join, with the fingerprint an
 * approver must hear from them; and key rotations this tab owes after someone was removed, done
 * as soon as the keys are unlocked here, so new reports stop reaching the old key.
 */
export function MembershipStatus(props: { waiting: { fingerprint: string; inboxes: string[] }; rotations: RotationDue[] }) {
  const t = useT()
  const { revalidate } = useRevalidator()
  const [progress, setProgress] = useState<string[]>([])
  const running = useRef(false)
  useEffect(() => {
    if (running.current || !keyring() || !props.rotations.some((r) => keyring()?.inboxes.has(r.inboxId))) return
    running.current = true
    void rotateAll(props.rotations, (line) => setProgress((p) => [...p, line]), t).finally(() => {
      running.current = false
      revalidate()
    })
  }, [props.rotations, revalidate, t])
  return (
    <>
      {progress.length ? (
        <div className="notice" role="status" data-rotation>
          {progress.map((l, i) => (
            <p key={i}>{l}</p>
          ))}
        </div>
      ) : null}
      {props.waiting.inboxes.length ? (
        <section className="callout">
          <h2>{t('review.home.waiting')}</h2>
          <ul>
            {props.waiting.inboxes.map((name) => (
              <li key={name}>{t('review.home.waitingFor', { name })}</li>
            ))}
          </ul>
          <p>
            {t('review.home.readFingerprint')} <code data-own-fingerprint>{props.waiting.fingerprint}</code>
          </p>
          <p>{t('review.home.hearTheirs')}</p>
        </section>
      ) : null}
      <p>
        <LangLink to="/review/members">{t('review.home.members')}</LangLink>
      </p>
    </>
  )
}
