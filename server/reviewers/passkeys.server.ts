import { timingSafeEqual } from 'node:crypto'
import { fromB64, randomBytes, sealSecretTo, toB64 } from '#crypto'
import { appendAudit } from '../audit.server'
import type { Connection } from '../db/connection.server'
import { deletePasskey, isOwnPasskey, markUsed, passkeyCount, passkeyExists, passkeyIdsOf, passkeysOf } from '../db/passkeys.server'
import { enrolmentInfo, isLiveReviewer, liveReviewerByRecoveryLookup, replaceRecovery } from '../db/reviewers.server'
import type { Store } from '../db/store.server'
import { UserError } from '#common/errors'
import { parseInput } from '#common/wire'
import { ceremonyStore } from './ceremonies.server'
import { storeCredential, type Credential, type PasskeyWrap as NewWrap } from './enrolment.server'
import { addPasskeySchema, recoverCompleteSchema, recoverOptionsSchema, removePasskeySchema } from './passkey-schemas.server'
import type { Keyring } from './reviewers.server'
import type { ReviewerSessions } from './sessions.server'
import { hashToken } from './setup-tokens.server'
import { registrationOptions, verifyRegistration, type RelyingParty } from './webauthn.server'

type Session = { reviewerId: string; passkeyId: string }

/**
 * What the settings page shows of a passkey: dates, how it unlocks, and the transports its
 * authenticator reported at registration (built in, phone, security key): the only "where" kept.
 * Never an IP address or user agent.
 */
export type PasskeyListing = {
  id: string
  createdAt: string
  lastUsedAt: string | null
  unlock: 'prf' | 'passphrase'
  transports: string[]
  current: boolean
}

/**
 * A reviewer's own passkeys: add one while signed in, remove one (never the last), and enrol a
 * new one with the recovery key after losing them all. The browser wraps R.sk for each new
 * passkey; the server only checks ceremonies and stores wraps.
 */
export function passkeyService(
  store: Store,
  sessions: ReviewerSessions,
  rp: () => RelyingParty,
  keyring: (reviewerId: string, passkeyId: string) => Promise<Keyring>,
) {
  const additions = ceremonyStore<{ reviewerId: string }>()
  // The sealed proof's plain bytes wait here, beside the WebAuthn challenge: one use, five minutes.
  const recoveries = ceremonyStore<{ reviewerId: string; answer: string }>()

  async function enrolmentOptions(reviewerId: string) {
    const r = await enrolmentInfo(store.read, reviewerId)
    if (!r) throw new UserError(401, 'errors.reviewers.signInAgain')
    const existing = await passkeyIdsOf(store.read, reviewerId)
    // Same user handle, so the authenticator files it under the same account; never a second copy
    // on an authenticator that already holds one of theirs.
    const options = await registrationOptions(
      rp(),
      { handle: fromB64(r.webauthn_user_id), name: r.display_name },
      existing.map((p) => p.id),
    )
    return { reviewer: r, options }
  }

  async function storePasskey(tx: Connection, reviewerId: string, credential: Credential, wrap: NewWrap, at: string) {
    if (wrap.unlock === 'passphrase' && !wrap.passphraseSalt) throw new UserError(400, 'errors.reviewers.needSalt')
    if (await passkeyExists(tx, credential.id)) throw new UserError(409, 'errors.passkeys.alreadyRegistered')
    if (!(await isLiveReviewer(tx, reviewerId))) throw new UserError(401, 'errors.reviewers.signInAgain')
    await storeCredential(tx, reviewerId, credential, wrap, at, null)
  }

  return {
    async list(session: Session): Promise<PasskeyListing[]> {
      const rows = await passkeysOf(store.read, session.reviewerId)
      return rows.map((p) => ({
        id: p.id,
        createdAt: p.created_at,
        lastUsedAt: p.last_used_at,
        unlock: p.unlock,
        transports: JSON.parse(p.transports) as string[],
        current: p.id === session.passkeyId,
      }))
    },

    async addOptions(session: Session) {
      const { options } = await enrolmentOptions(session.reviewerId)
      return { ceremonyId: additions.open(options.challenge, { reviewerId: session.reviewerId }), options }
    },

    async add(session: Session, raw: unknown): Promise<{ id: string }> {
      const input = parseInput(addPasskeySchema, raw)
      const { value, challenge } = additions.take(input.ceremonyId)
      // A ceremony opened in another reviewer's session is as good as none.
      if (value.reviewerId !== session.reviewerId) throw new UserError(400, 'errors.passkeys.requestUsed')
      const credential = await verifyRegistration(rp(), input.registration, challenge)
      await store.transaction(async (tx) => {
        await storePasskey(tx, session.reviewerId, credential, input, new Date().toISOString())
        await appendAudit(tx, {
          actor: `reviewer:${session.reviewerId}`,
          action: 'passkey.add',
          subject: session.reviewerId,
          detail: { passkey: credential.id.slice(0, 12) },
        })
      })
      return { id: credential.id }
    },

    /** Never the last one: without a passkey only the recovery key could get the reviewer back in. */
    async remove(session: Session, raw: unknown): Promise<{ signedOut: boolean }> {
      const { id } = parseInput(removePasskeySchema, raw)
      await store.transaction(async (tx) => {
        if (!(await isOwnPasskey(tx, id, session.reviewerId))) throw new UserError(404, 'errors.passkeys.noSuchPasskey')
        if ((await passkeyCount(tx, session.reviewerId)) <= 1) throw new UserError(409, 'errors.passkeys.onlyPasskey')
        await deletePasskey(tx, id, session.reviewerId)
        await appendAudit(tx, {
          actor: `reviewer:${session.reviewerId}`,
          action: 'passkey.remove',
          subject: session.reviewerId,
          detail: { passkey: id.slice(0, 12) },
        })
      })
      sessions.endAllWithPasskey(id)
      return { signedOut: id === session.passkeyId }
    },

    /**
     * Step one of recovery: the lookup id names the reviewer; the answer carries the recovery
     * wrap (useless without the code) and 32 random bytes sealed to R.pk, which the browser can
     * open only after unwrapping R.sk with the code. Nothing is changed yet.
     */
    async recoverOptions(raw: unknown) {
      const { lookupId } = parseInput(recoverOptionsSchema, raw)
      const r = await liveReviewerByRecoveryLookup(store.read, hashToken(lookupId))
      if (!r) throw new UserError(404, 'errors.passkeys.noRecoveryKey')
      const { reviewer, options } = await enrolmentOptions(r.id)
      const answer = randomBytes(32)
      const ceremonyId = recoveries.open(options.challenge, { reviewerId: r.id, answer: toB64(answer) })
      return {
        ceremonyId,
        options,
        boxPk: reviewer.box_pk,
        recoveryWrap: reviewer.recovery_wrap,
        challenge: sealSecretTo(answer, fromB64(reviewer.box_pk)),
      }
    },

    /**
     * Step two: proof of R.sk, a new passkey wrapping R.sk and a new recovery key replacing the
     * used one (which may have been typed on a device that is no longer trusted), then a session.
     */
    async recover(raw: unknown): Promise<{ token: string; keyring: Keyring }> {
      const input = parseInput(recoverCompleteSchema, raw)
      const { value, challenge } = recoveries.take(input.ceremonyId) // used up even when the answer is wrong
      if (!timingSafeEqual(Buffer.from(input.answer), Buffer.from(value.answer))) throw new UserError(401, 'errors.passkeys.recoveryUnproven')
      const credential = await verifyRegistration(rp(), input.registration, challenge)
      const at = new Date().toISOString()
      await store.transaction(async (tx) => {
        await storePasskey(tx, value.reviewerId, credential, input, at)
        // This enrolment is also a sign-in, so the new passkey counts as used now.
        await markUsed(tx, credential.id, at)
        await replaceRecovery(tx, value.reviewerId, input.recoveryWrap, hashToken(input.recoveryLookup))
        const actor = `reviewer:${value.reviewerId}`
        await appendAudit(tx, {
          actor,
          action: 'passkey.recover',
          subject: value.reviewerId,
          detail: { passkey: credential.id.slice(0, 12), recoveryKey: 'replaced' },
        })
        await appendAudit(tx, { actor, action: 'session.start', subject: value.reviewerId, detail: { passkey: credential.id.slice(0, 12) } })
      })
      // Whoever used the recovery key, every other session of this reviewer ends: if it was not them,
      // their own sign-ins stop working and they notice; if it was, a thief's session stops.
      sessions.endAllFor(value.reviewerId)
      return { token: sessions.start(value.reviewerId, credential.id), keyring: await keyring(value.reviewerId, credential.id) }
    },
  }
}

export type PasskeyService = ReturnType<typeof passkeyService>
