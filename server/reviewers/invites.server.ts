import { randomBytes, toB64 } from '#crypto'
import { appendAudit } from '../audit.server'
import { memberKeptInboxIds } from '../db/inboxes.server'
import { inboxesOfInvite, insertInvite, insertInviteInbox, inviteByHash, markInviteUsed } from '../db/invites.server'
import { insertRequest } from '../db/members.server'
import type { Store } from '../db/store.server'
import { randomId } from '../ids.server'
import { UserError } from '#common/errors'
import { ceremonyStore } from './ceremonies.server'
import { storeNewReviewer } from './enrolment.server'
import type { MemberService } from './members.server'
import { createInviteSchema, inviteCompleteSchema, inviteTokenSchema } from './member-schemas.server'
import type { Keyring } from './reviewers.server'
import { parseInput } from '#common/wire'
import type { ReviewerSessions } from './sessions.server'
import { hashToken } from './setup-tokens.server'
import { registrationOptions, verifyRegistration, type RelyingParty } from './webauthn.server'

// Long enough for a colleague on shifts to open it, short enough that a forgotten link dies.
export const INVITE_TTL_MS = 72 * 60 * 60 * 1000

/**
 * Invitations: an admin names a person, a role and inboxes; the invitee enrols a passkey and key.
 * Enrolling only files membership requests: the server cannot seal inbox keys, so access starts
 * when a member approves in their browser (members.server.ts).
 */
export function inviteService(
  store: Store,
  sessions: ReviewerSessions,
  members: MemberService,
  keyring: (r: string, p: string) => Promise<Keyring>,
  rp: () => RelyingParty,
  publicUrl: () => URL,
) {
  const enrolments = ceremonyStore<{ tokenHash: string; handle: string }>()

  /** The invite behind a token, refused alike whether used, expired or never issued. */
  async function usable(tokenHash: string) {
    const invite = await inviteByHash(store.read, tokenHash)
    if (!invite || invite.used_at || invite.expires_at < new Date().toISOString()) throw new UserError(410, 'errors.invites.usedOrExpired')
    const inboxes = await inboxesOfInvite(store.read, tokenHash)
    return { invite, inboxes }
  }

  return {
    /** An admin's invitation; its link is returned once and only the token's hash is stored. */
    async create(adminId: string, raw: unknown): Promise<{ link: string; expiresAt: string }> {
      const actor = await members.actor(adminId)
      if (actor.role !== 'admin') throw new UserError(403, 'errors.invites.adminOnly')
      const input = parseInput(createInviteSchema, raw)
      const inboxIds = [...new Set(input.inboxIds)]
      const known = await memberKeptInboxIds(store.read, inboxIds)
      if (known.length !== inboxIds.length) throw new UserError(400, 'errors.invites.badInboxes')
      const token = randomId(32)
      const at = new Date()
      const expiresAt = new Date(at.getTime() + INVITE_TTL_MS).toISOString()
      await store.transaction(async (tx) => {
        await insertInvite(tx, {
          tokenHash: hashToken(token),
          displayName: input.displayName,
          role: input.role,
          createdBy: adminId,
          at: at.toISOString(),
          expiresAt,
        })
        for (const inboxId of inboxIds) await insertInviteInbox(tx, hashToken(token), inboxId)
        // No name in the audit detail: free text stays out of the log (audit.server.ts).
        await appendAudit(tx, { actor: `reviewer:${adminId}`, action: 'invite.create', detail: { role: input.role, inboxes: inboxIds.length, expiresAt } })
      })
      return { link: inviteUrl(publicUrl(), token), expiresAt }
    },

    /** What the invitee sees before enrolling: who they were invited as, and for which inboxes. */
    async describe(raw: unknown) {
      const { token } = parseInput(inviteTokenSchema, raw)
      const { invite, inboxes } = await usable(hashToken(token))
      return { displayName: invite.display_name, role: invite.role, expiresAt: invite.expires_at, inboxes: inboxes.map((i) => i.name) }
    },

    async options(raw: unknown) {
      const { token } = parseInput(inviteTokenSchema, raw)
      const tokenHash = hashToken(token)
      const { invite } = await usable(tokenHash)
      const handle = randomBytes(32)
      const options = await registrationOptions(rp(), { handle, name: invite.display_name })
      return { ceremonyId: enrolments.open(options.challenge, { tokenHash, handle: toB64(handle) }), options }
    },

    /** Reviewer row, passkey and membership requests, with the invite consumed in the same transaction. */
    async complete(raw: unknown): Promise<{ token: string; keyring: Keyring }> {
      const input = parseInput(inviteCompleteSchema, raw)
      const { value, challenge } = enrolments.take(input.ceremonyId)
      const { invite, inboxes } = await usable(value.tokenHash)
      if (input.reviewer.unlock === 'passphrase' && !input.reviewer.passphraseSalt) throw new UserError(400, 'errors.reviewers.needSalt')
      const credential = await verifyRegistration(rp(), input.registration, challenge)
      const reviewerId = randomId(12)
      const at = new Date().toISOString()
      await store.transaction(async (tx) => {
        const used = await markInviteUsed(tx, value.tokenHash, at)
        if (used.changes !== 1) throw new UserError(410, 'errors.invites.justUsed')
        await storeNewReviewer(
          tx,
          { id: reviewerId, displayName: invite.display_name, role: invite.role, keys: input.reviewer, handle: value.handle, at },
          credential,
          null,
        )
        for (const inbox of inboxes) await insertRequest(tx, inbox.id, reviewerId, at)
        const actor = `reviewer:${reviewerId}`
        await appendAudit(tx, {
          actor,
          action: 'reviewer.register',
          subject: reviewerId,
          detail: { role: invite.role, unlock: input.reviewer.unlock, invited: true },
        })
        await appendAudit(tx, { actor, action: 'passkey.add', subject: reviewerId, detail: { passkey: credential.id.slice(0, 12) } })
        for (const inbox of inboxes) await appendAudit(tx, { actor, action: 'member.request', subject: inbox.id, detail: { reviewer: reviewerId } })
      })
      return { token: sessions.start(reviewerId, credential.id), keyring: await keyring(reviewerId, credential.id) }
    },
  }
}

export type InviteService = ReturnType<typeof inviteService>

const inviteUrl = (publicUrl: URL, token: string) => new URL(`/review/invite#${token}`, publicUrl).href
