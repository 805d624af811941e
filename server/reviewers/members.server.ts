import { fingerprint, fromB64, verifyPublishedKey } from '#crypto'
import { appendAudit } from '../audit.server'
import { unassignAllOf } from '../db/cases.server'
import { deleteKeyWrapsOf, inboxIdentity, inboxKeyVersions, insertKeyWrap } from '../db/inboxes.server'
import { logExistingKeys, publishKeyVersion } from '../key-log.server'
import {
  clearRotationDue,
  deleteMembershipsOf,
  deletePendingRequestsOf,
  inboxIdsOfMember,
  insertMember,
  isMember,
  isRequestPending,
  liveMemberKeys,
  markApproved,
  markDeclined,
  markRotationDue,
  memberIds,
  ownPendingInboxNames,
  requestsToDecide,
  rotationsDueFor,
} from '../db/members.server'
import { deletePasskeysOf } from '../db/passkeys.server'
import { allReviewers, liveReviewer, markRemoved } from '../db/reviewers.server'
import type { Store } from '../db/store.server'
import { UserError } from '#common/errors'
import { insertGrant } from '../db/grants.server'
import { approveSchema, logExistingSchema, removeSchema, requestRefSchema, rotateSchema } from './member-schemas.server'
import { parseInput } from '#common/wire'
import type { ReviewerSessions } from './sessions.server'

export type RotationDue = { inboxId: string; name: string; keyVersion: number; members: Array<{ reviewerId: string; boxPk: string }> }

/**
 * Membership of inboxes. The server can record and refuse, never grant on its own: approving
 * and rotating both need inbox secret keys, which exist only sealed to members and in their
 * browsers. What the server checks is who may ask, and that the wraps cover exactly what is due.
 */
export function memberService(store: Store, sessions: ReviewerSessions) {
  return {
    /**
     * A live reviewer, checked on every reviewer API call: a session outliving its reviewer's
     * removal (it should not: removal ends them) is still refused here.
     */
    async actor(reviewerId: string) {
      const r = await liveReviewer(store.read, reviewerId)
      if (!r) throw new UserError(401, 'errors.reviewers.signInAgain')
      return r
    },

    /** Requests the viewer could decide: pending, for inboxes the viewer is a member of. */
    async pendingToDecide(viewerId: string) {
      const rows = await requestsToDecide(store.read, viewerId)
      return rows.map((r) => ({
        inboxId: r.inbox_id,
        inboxName: r.inbox_name,
        reviewerId: r.reviewer_id,
        displayName: r.display_name,
        boxPk: r.box_pk,
        requestedAt: r.requested_at,
      }))
    },

    /** The viewer's own requests still waiting, and the fingerprint an approver will read out. */
    async ownPending(viewerId: string) {
      const me = await this.actor(viewerId)
      const inboxes = await ownPendingInboxNames(store.read, viewerId)
      return { fingerprint: fingerprint(fromB64(me.box_pk)), inboxes: inboxes.map((i) => i.name) }
    },

    /** Everyone, for an admin's removal list. */
    async list() {
      return allReviewers(store.read)
    },

    /** Member inboxes whose key must change since someone left, with who to seal the new key to. */
    async rotationsDue(viewerId: string): Promise<RotationDue[]> {
      const due = await rotationsDueFor(store.read, viewerId)
      const out: RotationDue[] = []
      for (const d of due) {
        const members = await liveMemberKeys(store.read, d.inbox_id)
        out.push({ inboxId: d.inbox_id, name: d.name, keyVersion: d.v, members })
      }
      return out
    },

    /** A member's browser sealed every key version to the requester: record the wraps and membership. */
    async approve(approverId: string, raw: unknown) {
      await this.actor(approverId)
      const input = parseInput(approveSchema, raw)
      await store.transaction(async (tx) => {
        // Membership, not role: an admin who is not a member has no keys and cannot vouch.
        if (!(await isMember(tx, input.inboxId, approverId))) throw new UserError(403, 'errors.members.approveMembersOnly')
        if (!(await isRequestPending(tx, input.inboxId, input.reviewerId))) throw new UserError(409, 'errors.members.notWaiting')
        // Every key version, oldest first: old reports stay readable.
        const due = await inboxKeyVersions(tx, input.inboxId)
        const sent = input.wraps.map((w) => w.keyVersion).sort((a, b) => a - b)
        if (sent.length !== due.length || sent.some((v, i) => v !== due[i]))
          throw new UserError(400, 'errors.members.wrapsCover', { values: { versions: due.join(', ') } })
        const at = new Date().toISOString()
        for (const w of input.wraps)
          await insertKeyWrap(tx, {
            inboxId: input.inboxId,
            keyVersion: w.keyVersion,
            reviewerId: input.reviewerId,
            boxSkWrap: w.boxSkWrap,
            signSkWrap: w.signSkWrap,
          })
        await insertMember(tx, input.inboxId, input.reviewerId, at)
        await insertGrant(tx, { inboxId: input.inboxId, reviewerId: input.reviewerId, grantedBy: approverId, grant: input.grant })
        await markApproved(tx, input.inboxId, input.reviewerId, approverId, at)
        await appendAudit(tx, {
          actor: `reviewer:${approverId}`,
          action: 'member.approve',
          subject: input.inboxId,
          detail: { reviewer: input.reviewerId, keyVersions: due.length },
        })
      })
      return { ok: true }
    },

    async decline(deciderId: string, raw: unknown) {
      await this.actor(deciderId)
      const input = parseInput(requestRefSchema, raw)
      await store.transaction(async (tx) => {
        if (!(await isMember(tx, input.inboxId, deciderId))) throw new UserError(403, 'errors.members.decideMembersOnly')
        const r = await markDeclined(tx, input.inboxId, input.reviewerId, deciderId, new Date().toISOString())
        if (r.changes !== 1) throw new UserError(409, 'errors.members.notWaiting')
        await appendAudit(tx, { actor: `reviewer:${deciderId}`, action: 'member.decline', subject: input.inboxId, detail: { reviewer: input.reviewerId } })
      })
      return { ok: true }
    },

    /** Ends a reviewer's access at once; their inboxes are marked for a key rotation by a member. */
    async remove(adminId: string, raw: unknown): Promise<{ rotations: RotationDue[] }> {
      const me = await this.actor(adminId)
      if (me.role !== 'admin') throw new UserError(403, 'errors.members.removeAdminOnly')
      const { reviewerId } = parseInput(removeSchema, raw)
      if (reviewerId === adminId) throw new UserError(400, 'errors.members.notYourself')
      const at = new Date().toISOString()
      await store.transaction(async (tx) => {
        const gone = await markRemoved(tx, reviewerId, at)
        if (gone.changes !== 1) throw new UserError(404, 'errors.members.noSuchReviewer')
        const inboxes = await inboxIdsOfMember(tx, reviewerId)
        await deletePasskeysOf(tx, reviewerId)
        await deleteKeyWrapsOf(tx, reviewerId)
        await deleteMembershipsOf(tx, reviewerId)
        // Their cases go back to nobody: a report must not sit assigned to someone who cannot open it.
        await unassignAllOf(tx, reviewerId)
        await deletePendingRequestsOf(tx, reviewerId)
        for (const i of inboxes) await markRotationDue(tx, i.inbox_id, at)
        await appendAudit(tx, { actor: `reviewer:${adminId}`, action: 'reviewer.remove', subject: reviewerId, detail: { inboxes: inboxes.length } })
      })
      // After the commit, so a failed removal leaves their sessions as they were.
      sessions.endAllFor(reviewerId)
      return { rotations: await this.rotationsDue(adminId) }
    },

    /** A new key version made and signed in a member's browser, sealed to exactly the current members. */
    async rotate(memberId: string, raw: unknown) {
      await this.actor(memberId)
      const input = parseInput(rotateSchema, raw)
      await store.transaction(async (tx) => {
        if (!(await isMember(tx, input.inboxId, memberId))) throw new UserError(403, 'errors.members.rotateMembersOnly')
        const inbox = await inboxIdentity(tx, input.inboxId)
        // Pinned to the stored identity key: a new key signed by any other key is not this inbox's.
        if (!inbox || !verifyPublishedKey(input.key, inbox.sign_pk)) throw new UserError(400, 'errors.members.newKeyUnsigned')
        if (input.key.keyVersion !== inbox.v + 1) throw new UserError(400, 'errors.members.newKeyVersion', { values: { version: inbox.v + 1 } })
        const members = await memberIds(tx, input.inboxId)
        const sent = input.wraps.map((w) => w.reviewerId).sort()
        if (sent.length !== members.length || sent.some((id, i) => id !== members[i])) throw new UserError(400, 'errors.members.newKeyMembers')
        const at = new Date().toISOString()
        await publishKeyVersion(tx, { inboxId: input.inboxId, key: input.key, log: input.log, at })
        for (const w of input.wraps)
          await insertKeyWrap(tx, {
            inboxId: input.inboxId,
            keyVersion: input.key.keyVersion,
            reviewerId: w.reviewerId,
            boxSkWrap: w.boxSkWrap,
            signSkWrap: w.signSkWrap,
          })
        await clearRotationDue(tx, input.inboxId)
        await appendAudit(tx, {
          actor: `reviewer:${memberId}`,
          action: 'inbox.rotate',
          subject: input.inboxId,
          detail: { keyVersion: input.key.keyVersion, members: members.length },
        })
      })
      return { keyVersion: input.key.keyVersion }
    },

    /** An inbox made before the key log, logged once by a member's browser that holds its identity key. */
    async logExisting(memberId: string, raw: unknown) {
      await this.actor(memberId)
      const input = parseInput(logExistingSchema, raw)
      await store.transaction(async (tx) => {
        if (!(await isMember(tx, input.inboxId, memberId))) throw new UserError(403, 'errors.members.logMembersOnly')
        await logExistingKeys(tx, input.inboxId, input.entries)
        await appendAudit(tx, { actor: `reviewer:${memberId}`, action: 'inbox.log', subject: input.inboxId, detail: { entries: input.entries.length } })
      })
    },
  }
}

export type MemberService = ReturnType<typeof memberService>
