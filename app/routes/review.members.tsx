import type { Answer } from '~/ui/wire'
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { useLoaderData, useRevalidator } from '@remix-run/react'
import { useEffect, useState, type FormEvent } from 'react'
import { callApi } from '~/ui/api.client'
import { loadCrypto } from '~/ui/crypto.client'
import { keyring } from '~/review/keyring.client'
import { approve, fingerprintOf, rotateAll } from '~/review/members.client'
import { metaT, useT } from '~/ui/i18n'
import { pageMessages } from '~/ui/i18n.server'
import { requireReviewer } from '~/review/reviewer-session.server'
import { said, sayWith } from '#common/i18n/message'

export const meta: MetaFunction = ({ matches }) => {
  const t = metaT(matches)
  return [{ title: t('members.title') }]
}

export const loader = async (args: LoaderFunctionArgs) => {
  const { request, context } = args
  const { reviewerId } = requireReviewer(request, context)
  const m = context.services.members
  const me = await m.actor(reviewerId).catch(() => null)
  if (!me) throw redirect('/review/sign-in')
  const admin = me.role === 'admin'
  return {
    me: { id: me.id, admin },
    pending: await m.pendingToDecide(reviewerId),
    inboxes: admin ? (await context.services.inboxes.list()).filter((i) => i.custody === 'members').map((i) => ({ id: i.id, name: i.name })) : [],
    reviewers: admin ? await m.list() : [],
    ...pageMessages(args, ['members']),
  }
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>

/** Approving newcomers (members), inviting and removing reviewers (admins). */
export default function Members() {
  const data = useLoaderData<typeof loader>()
  const t = useT()
  const { revalidate } = useRevalidator()
  const [status, setStatus] = useState<string[]>([])
  const say = (line: string) => setStatus((s) => [...s, line])
  return (
    <>
      <h1>{t('members.heading')}</h1>
      {status.length ? (
        <div className="notice" role="status">
          {status.map((l, i) => (
            <p key={i}>{l}</p>
          ))}
        </div>
      ) : null}
      <OwnFingerprint />
      <Pending pending={data.pending} say={say} done={revalidate} />
      {data.me.admin ? <InviteForm inboxes={data.inboxes} /> : null}
      {data.me.admin ? <Reviewers me={data.me.id} reviewers={data.reviewers} say={say} done={revalidate} /> : null}
    </>
  )
}

/**
 * This tab's own key's fingerprint (not the server's word for it: it is what grants are checked
 * against), so a member can read it again to anyone they let in, long after approving them.
 */
function OwnFingerprint() {
  const t = useT()
  const [own, setOwn] = useState<string | null>(null)
  useEffect(() => {
    const k = keyring()
    if (k) void loadCrypto().then((c) => setOwn(c.fingerprint(k.reviewerKey.publicKey)))
  }, [])
  if (!own) return null
  return (
    <section className="callout" data-own-print>
      <p className="fingerprint">
        {t('members.own.label')} <code>{own}</code>
      </p>
      <p className="hint">{t('members.own.about')}</p>
    </section>
  )
}

function Pending(props: { pending: Data['pending']; say: (l: string) => void; done: () => void }) {
  const t = useT()
  const [prints, setPrints] = useState<Record<string, string>>({})
  const [locked, setLocked] = useState(true)
  useEffect(() => {
    setLocked(!keyring())
    void Promise.all(props.pending.map(async (p) => [p.reviewerId, await fingerprintOf(p.boxPk)] as const)).then((e) => setPrints(Object.fromEntries(e)))
  }, [props.pending])
  const act = async (what: () => Promise<unknown>, line: string) => {
    try {
      await what()
      props.say(line)
    } catch (err) {
      props.say(sayWith(t, said(err)))
    }
    props.done()
  }
  return (
    <section>
      <h2>{t('members.pending.heading')}</h2>
      {props.pending.length === 0 ? <p>{t('members.pending.none')}</p> : null}
      {props.pending.length && locked ? <p className="callout">{t('members.pending.locked')}</p> : null}
      <ul className="card-list">
        {props.pending.map((p) => (
          <li key={`${p.inboxId}/${p.reviewerId}`} className="card" data-request={p.displayName}>
            <h3>{t('members.pending.request', { name: p.displayName, inbox: p.inboxName })}</h3>
            <p className="fingerprint">
              {t('members.pending.fingerprint')} <code data-fingerprint>{prints[p.reviewerId] ?? '…'}</code>
            </p>
            <p className="hint">{t('members.pending.ask', { name: p.displayName })}</p>
            {!locked ? <p className="hint">{t('members.pending.readYours', { name: p.displayName, inbox: p.inboxName })}</p> : null}
            <div className="actions">
              <button
                type="button"
                className="button"
                disabled={locked}
                onClick={() =>
                  void act(() => approve(p.inboxId, p.reviewerId, p.boxPk, t), t('members.pending.approved', { name: p.displayName, inbox: p.inboxName }))
                }
              >
                {t('members.pending.approve')}
              </button>
              <button
                type="button"
                className="button button--secondary"
                onClick={() =>
                  void act(
                    () => callApi('/api/review/members/decline', { body: { inboxId: p.inboxId, reviewerId: p.reviewerId }, cookies: true }),
                    t('members.pending.declined', { name: p.displayName, inbox: p.inboxName }),
                  )
                }
              >
                {t('members.pending.decline')}
              </button>
            </div>
          </li>
        ))}
      </ul>
    </section>
  )
}

function InviteForm(props: { inboxes: Data['inboxes'] }) {
  const t = useT()
  const [state, setState] = useState<{ link?: string; error?: string; busy?: boolean; copied?: boolean }>({})
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault()
    const f = new FormData(e.currentTarget)
    const form = e.currentTarget
    setState({ busy: true })
    try {
      const body = { displayName: String(f.get('inviteName') ?? '').trim(), role: String(f.get('role')), inboxIds: f.getAll('inbox').map(String) }
      const { link } = await callApi<Answer<typeof import('~/routes/api.review.invites').action>>('/api/review/invites', { body, cookies: true })
      form.reset()
      setState({ link })
    } catch (err) {
      setState({ error: sayWith(t, said(err)) })
    }
  }
  return (
    <section>
      <h2>{t('members.invite.heading')}</h2>
      {state.link ? (
        <div className="callout" role="status">
          <p>{t('members.invite.give')}</p>
          <p>
            <code data-invite-link>{state.link}</code>
          </p>
          <button
            type="button"
            className="button button--secondary"
            onClick={() => void navigator.clipboard?.writeText(state.link!).then(() => setState({ ...state, copied: true }))}
          >
            {state.copied ? t('members.invite.copied') : t('members.invite.copy')}
          </button>
        </div>
      ) : null}
      <form onSubmit={submit} className="narrow">
        {state.error ? (
          <p className="field__error" role="alert">
            {state.error}
          </p>
        ) : null}
        <div className="field">
          <label htmlFor="inviteName" className="field__label">
            {t('members.invite.name')}
          </label>
          <input id="inviteName" name="inviteName" maxLength={80} required />
        </div>
        <fieldset className="field">
          <legend className="field__label">{t('members.invite.role')}</legend>
          <label className="choice">
            <input type="radio" name="role" value="reviewer" defaultChecked /> <span>{t('members.invite.reviewer')}</span>
          </label>
          <label className="choice">
            <input type="radio" name="role" value="admin" /> <span>{t('members.invite.admin')}</span>
          </label>
        </fieldset>
        <fieldset className="field">
          <legend className="field__label">{t('members.invite.inboxes')}</legend>
          {props.inboxes.map((i) => (
            <label key={i.id} className="choice">
              <input type="checkbox" name="inbox" value={i.id} /> <span>{i.name}</span>
            </label>
          ))}
        </fieldset>
        <button type="submit" className="button" disabled={state.busy}>
          {state.busy ? t('members.invite.making') : t('members.invite.make')}
        </button>
      </form>
    </section>
  )
}

function Reviewers(props: { me: string; reviewers: Data['reviewers']; say: (l: string) => void; done: () => void }) {
  const t = useT()
  const [confirming, setConfirming] = useState('')
  const remove = async (id: string, name: string) => {
    setConfirming('')
    try {
      const { rotations } = await callApi<Answer<typeof import('~/routes/api.review.reviewers.remove').action>>('/api/review/reviewers/remove', {
        body: { reviewerId: id },
        cookies: true,
      })
      props.say(t('members.reviewers.wasRemoved', { name }))
      // As a member of their inboxes, this tab can rotate at once; other inboxes rotate when a member next signs in.
      await rotateAll(rotations, props.say, t)
    } catch (err) {
      props.say(sayWith(t, said(err)))
    }
    props.done()
  }
  return (
    <section>
      <h2>{t('members.reviewers.heading')}</h2>
      <ul className="card-list">
        {props.reviewers.map((r) => (
          <li key={r.id} className="card" data-reviewer={r.display_name}>
            <h3>{r.display_name}</h3>
            <p>{r.removed_at ? t('members.reviewers.removed') : r.role === 'admin' ? t('members.reviewers.admin') : t('members.reviewers.reviewer')}</p>
            {r.id === props.me || r.removed_at ? null : confirming === r.id ? (
              <button type="button" className="button" onClick={() => void remove(r.id, r.display_name)}>
                {t('members.reviewers.confirm', { name: r.display_name })}
              </button>
            ) : (
              <button type="button" className="button button--secondary" onClick={() => setConfirming(r.id)}>
                {t('members.reviewers.remove')}
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  )
}
