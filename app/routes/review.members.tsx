import type { Answer } from '~/ui/wire'
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { useLoaderData, useRevalidator } from '@remix-run/react'
import { useEffect, useState, type FormEvent } from 'react'
import { callApi } from '~/ui/api.client'
import { keyring } from '~/review/keyring.client'
import { approve, fingerprintOf, rotateAll } from '~/review/members.client'
import { requireReviewer } from '~/review/reviewer-session.server'

export const meta: MetaFunction = () => [{ title: 'Members · Candour review' }]

export const loader = async ({ request, context }: LoaderFunctionArgs) => {
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
  }
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>

/** Approving newcomers (members), inviting and removing reviewers (admins). */
export default function Members() {
  const data = useLoaderData<typeof loader>()
  const { revalidate } = useRevalidator()
  const [status, setStatus] = useState<string[]>([])
  const say = (line: string) => setStatus((s) => [...s, line])
  return (
    <>
      <h1>Members</h1>
      {status.length ? (
        <div className="notice" role="status">
          {status.map((l, i) => (
            <p key={i}>{l}</p>
          ))}
        </div>
      ) : null}
      <Pending pending={data.pending} say={say} done={revalidate} />
      {data.me.admin ? <InviteForm inboxes={data.inboxes} /> : null}
      {data.me.admin ? <Reviewers me={data.me.id} reviewers={data.reviewers} say={say} done={revalidate} /> : null}
    </>
  )
}

function Pending(props: { pending: Data['pending']; say: (l: string) => void; done: () => void }) {
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
      props.say((err as Error).message)
    }
    props.done()
  }
  return (
    <section>
      <h2>Waiting for approval</h2>
      {props.pending.length === 0 ? <p>Nobody is waiting to join your inboxes.</p> : null}
      {props.pending.length && locked ? <p className="callout">Your keys are locked in this tab: sign in again with your passkey to approve.</p> : null}
      <ul className="card-list">
        {props.pending.map((p) => (
          <li key={`${p.inboxId}/${p.reviewerId}`} className="card" data-request={p.displayName}>
            <h3>
              {p.displayName} → {p.inboxName}
            </h3>
            <p className="fingerprint">
              Their fingerprint <code data-fingerprint>{prints[p.reviewerId] ?? '…'}</code>
            </p>
            <p className="hint">
              Ask {p.displayName} to read out the fingerprint on their Candour home page, by phone or in person. Approve only if it matches.
            </p>
            <div className="actions">
              <button
                type="button"
                className="button"
                disabled={locked}
                onClick={() => void act(() => approve(p.inboxId, p.reviewerId, p.boxPk), `${p.displayName} can now open ${p.inboxName}.`)}
              >
                Approve
              </button>
              <button
                type="button"
                className="button button--secondary"
                onClick={() =>
                  void act(
                    () => callApi('/api/review/members/decline', { body: { inboxId: p.inboxId, reviewerId: p.reviewerId }, cookies: true }),
                    `Declined ${p.displayName} for ${p.inboxName}.`,
                  )
                }
              >
                Decline
              </button>
            </div>
          </li>
        ))}
      </ul>
    </section>
  )
}

function InviteForm(props: { inboxes: Data['inboxes'] }) {
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
      setState({ error: (err as Error).message })
    }
  }
  return (
    <section>
      <h2>Invite a reviewer</h2>
      {state.link ? (
        <div className="callout" role="status">
          <p>Give this link to them privately. It works once, for 72 hours, and is not shown again.</p>
          <p>
            <code data-invite-link>{state.link}</code>
          </p>
          <button
            type="button"
            className="button button--secondary"
            onClick={() => void navigator.clipboard?.writeText(state.link!).then(() => setState({ ...state, copied: true }))}
          >
            {state.copied ? 'Copied' : 'Copy link'}
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
            Their name
          </label>
          <input id="inviteName" name="inviteName" maxLength={80} required />
        </div>
        <fieldset className="field">
          <legend className="field__label">Role</legend>
          <label className="choice">
            <input type="radio" name="role" value="reviewer" defaultChecked /> <span>Reviewer</span>
          </label>
          <label className="choice">
            <input type="radio" name="role" value="admin" /> <span>Admin (can invite and remove reviewers)</span>
          </label>
        </fieldset>
        <fieldset className="field">
          <legend className="field__label">Inboxes they may ask to join</legend>
          {props.inboxes.map((i) => (
            <label key={i.id} className="choice">
              <input type="checkbox" name="inbox" value={i.id} /> <span>{i.name}</span>
            </label>
          ))}
        </fieldset>
        <button type="submit" className="button" disabled={state.busy}>
          {state.busy ? 'Making the link…' : 'Make an invitation link'}
        </button>
      </form>
    </section>
  )
}

function Reviewers(props: { me: string; reviewers: Data['reviewers']; say: (l: string) => void; done: () => void }) {
  const [confirming, setConfirming] = useState('')
  const remove = async (id: string, name: string) => {
    setConfirming('')
    try {
      const { rotations } = await callApi<Answer<typeof import('~/routes/api.review.reviewers.remove').action>>('/api/review/reviewers/remove', {
        body: { reviewerId: id },
        cookies: true,
      })
      props.say(`${name} was removed: their sessions ended and their keys were deleted.`)
      // As a member of their inboxes, this tab can rotate at once; other inboxes rotate when a member next signs in.
      await rotateAll(rotations, props.say)
    } catch (err) {
      props.say((err as Error).message)
    }
    props.done()
  }
  return (
    <section>
      <h2>Reviewers</h2>
      <ul className="card-list">
        {props.reviewers.map((r) => (
          <li key={r.id} className="card" data-reviewer={r.display_name}>
            <h3>{r.display_name}</h3>
            <p>{r.removed_at ? 'Removed' : r.role === 'admin' ? 'Admin' : 'Reviewer'}</p>
            {r.id === props.me || r.removed_at ? null : confirming === r.id ? (
              <button type="button" className="button" onClick={() => void remove(r.id, r.display_name)}>
                Confirm: remove {r.display_name}
              </button>
            ) : (
              <button type="button" className="button button--secondary" onClick={() => setConfirming(r.id)}>
                Remove
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  )
}
