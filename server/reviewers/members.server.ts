import { fingerprint, fromB64, verifyPublishedKey } from '#crypto'
import { appendAudit } from '../audit.server'
import type { Store } from '../db/store.server'
import type { Connection } from '../db/connection.server'
import { UserError } from '#common/errors'
import { approveSchema, removeSchema, requestRefSchema, rotateSchema } from './member-schemas.server'
import { parseInput } from '#common/wire'
import type { ReviewerSessions } from './sessions.server'

export type RotationDue = { inboxId: string; name: string; keyVersion: number; members: Array<{ reviewerId: string; boxPk: string }> }

/**
 * Membership of inboxes. The server can record and refuse, never grant on its own: approving
 * and rotating both need inbox secret keys, which exist only sealed to members and in their
 * browsers. What the server checks is who may ask, and that the wraps cover exactly what is due.
 */
export function memberService(store: Store, sessions: ReviewerSessions) {
  async function isMember(conn: Connection, inboxId: string, reviewerId: string) {
    return !!(await conn.get('SELECT 1 AS x FROM inbox_members WHERE inbox_id = ? AND reviewer_id = ?', [inboxId, reviewerId]))
  }

  /** The inbox's key versions, oldest first (all of them: old reports stay readable). */
  const versions = async (conn: Connection, inboxId: string) =>
    (await conn.all<{ v: number }>('SELECT key_version AS v FROM inbox_keys WHERE inbox_id = ? ORDER BY key_version', [inboxId])).map((r) => r.v)

  return {
    /**
     * A live reviewer, checked on every reviewer API call: a session outliving its reviewer's
     * removal (it should not: removal ends them) is still refused here.
     */
    async actor(reviewerId: string) {
      const r = await store.read.get<{ id: string; role: 'admin' | 'reviewer'; display_name: string; box_pk: string }>(
        'SELECT id, role, display_name, box_pk FROM reviewers WHERE id = ? AND removed_at IS NULL',
        [reviewerId],
      )
      if (!r) throw new UserError(401, 'Sign in again.')
      return r
    },

    /** Requests the viewer could decide: pending, for inboxes the viewer is a member of. */
    async pendingToDecide(viewerId: string) {
      const rows = await store.read.all<{ inbox_id: string; inbox_name: string; reviewer_id: string; display_name: string; box_pk: string; requested_at: string }>(
        `SELECT q.inbox_id, i.name AS inbox_name, q.reviewer_id, r.display_name, r.box_pk, q.requested_at
         FROM membership_requests q JOIN inboxes i ON i.id = q.inbox_id JOIN reviewers r ON r.id = q.reviewer_id
         JOIN inbox_members m ON m.inbox_id = q.inbox_id AND m.reviewer_id = ?
         WHERE q.decided IS NULL AND r.removed_at IS NULL ORDER BY q.requested_at`,
        [viewerId],
      )
      return rows.map((r) => ({ inboxId: r.inbox_id, inboxName: r.inbox_name, reviewerId: r.reviewer_id, displayName: r.display_name, boxPk: r.box_pk, requestedAt: r.requested_at }))
    },

    /** The viewer's own requests still waiting, and the fingerprint an approver will read out. */
    async ownPending(viewerId: string) {
      const me = await this.actor(viewerId)
      const inboxes = await store.read.all<{ name: string }>(
        `SELECT i.name FROM membership_requests q JOIN inboxes i ON i.id = q.inbox_id
         WHERE q.reviewer_id = ? AND q.decided IS NULL ORDER BY i.name`,
        [viewerId],
      )
      return { fingerprint: fingerprint(fromB64(me.box_pk)), inboxes: inboxes.map((i) => i.name) }
    },

    /** Everyone, for an admin's removal list. */
    async list() {
      return store.read.all<{ id: string; display_name: string; role: string; removed_at: string | null }>(
        'SELECT id, display_name, role, removed_at FROM reviewers ORDER BY removed_at IS NOT NULL, display_name',
      )
    },

    /** Member inboxes whose key must change since someone left, with who to seal the new key to. */
    async rotationsDue(viewerId: string): Promise<RotationDue[]> {
      const due = await store.read.all<{ inbox_id: string; name: string; v: number }>(
        `SELECT d.inbox_id, i.name, (SELECT MAX(key_version) FROM inbox_keys WHERE inbox_id = d.inbox_id) AS v
         FROM rotation_due d JOIN inboxes i ON i.id = d.inbox_id
         JOIN inbox_members m ON m.inbox_id = d.inbox_id AND m.reviewer_id = ? ORDER BY i.name`,
        [viewerId],
      )
      const out: RotationDue[] = []
      for (const d of due) {
        const members = await store.read.all<{ reviewerId: string; boxPk: string }>(
          `SELECT r.id AS reviewerId, r.box_pk AS boxPk FROM inbox_members m JOIN reviewers r ON r.id = m.reviewer_id
           WHERE m.inbox_id = ? AND r.removed_at IS NULL ORDER BY r.id`,
          [d.inbox_id],
        )
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
        if (!(await isMember(tx, input.inboxId, approverId))) throw new UserError(403, 'Only a member of this inbox can approve someone into it.')
        const req = await tx.get('SELECT 1 AS x FROM membership_requests WHERE inbox_id = ? AND reviewer_id = ? AND decided IS NULL', [input.inboxId, input.reviewerId])
        if (!req) throw new UserError(409, 'This request is no longer waiting: it was decided already or withdrawn.')
        const due = await versions(tx, input.inboxId)
        const sent = input.wraps.map((w) => w.keyVersion).sort((a, b) => a - b)
        if (sent.length !== due.length || sent.some((v, i) => v !== due[i]))
          throw new UserError(400, `The wraps must cover exactly key versions ${due.join(', ')} of this inbox. Reload and approve again.`)
        const at = new Date().toISOString()
        for (const w of input.wraps)
          await tx.run('INSERT INTO inbox_key_wraps (inbox_id, key_version, reviewer_id, box_sk_wrap, sign_sk_wrap) VALUES (?,?,?,?,?)', [
            input.inboxId, w.keyVersion, input.reviewerId, w.boxSkWrap, w.signSkWrap,
          ])
        await tx.run('INSERT INTO inbox_members (inbox_id, reviewer_id, added_at) VALUES (?,?,?)', [input.inboxId, input.reviewerId, at])
        await tx.run("UPDATE membership_requests SET decided = 'approved', decided_by = ?, decided_at = ? WHERE inbox_id = ? AND reviewer_id = ?", [
          approverId, at, input.inboxId, input.reviewerId,
        ])
        await appendAudit(tx, { actor: `reviewer:${approverId}`, action: 'member.approve', subject: input.inboxId, detail: { reviewer: input.reviewerId, keyVersions: due.length } })
      })
      return { ok: true }
    },

    async decline(deciderId: string, raw: unknown) {
      await this.actor(deciderId)
      const input = parseInput(requestRefSchema, raw)
      await store.transaction(async (tx) => {
        if (!(await isMember(tx, input.inboxId, deciderId))) throw new UserError(403, 'Only a member of this inbox can decide who joins it.')
        const r = await tx.run(
          "UPDATE membership_requests SET decided = 'declined', decided_by = ?, decided_at = ? WHERE inbox_id = ? AND reviewer_id = ? AND decided IS NULL",
          [deciderId, new Date().toISOString(), input.inboxId, input.reviewerId],
        )
        if (r.changes !== 1) throw new UserError(409, 'This request is no longer waiting: it was decided already or withdrawn.')
        await appendAudit(tx, { actor: `reviewer:${deciderId}`, action: 'member.decline', subject: input.inboxId, detail: { reviewer: input.reviewerId } })
      })
      return { ok: true }
    },

    /** Ends a reviewer's access at once; their inboxes are marked for a key rotation by a member. */
    async remove(adminId: string, raw: unknown): Promise<{ rotations: RotationDue[] }> {
      const me = await this.actor(adminId)
      if (me.role !== 'admin') throw new UserError(403, 'Only an admin can remove reviewers.')
      const { reviewerId } = parseInput(removeSchema, raw)
      if (reviewerId === adminId) throw new UserError(400, 'You cannot remove yourself: ask another admin.')
      const at = new Date().toISOString()
      await store.transaction(async (tx) => {
        const gone = await tx.run('UPDATE reviewers SET removed_at = ? WHERE id = ? AND removed_at IS NULL', [at, reviewerId])
        if (gone.changes !== 1) throw new UserError(404, 'No such reviewer, or they were already removed.')
        const inboxes = await tx.all<{ inbox_id: string }>('SELECT inbox_id FROM inbox_members WHERE reviewer_id = ?', [reviewerId])
        await tx.run('DELETE FROM passkeys WHERE reviewer_id = ?', [reviewerId])
        await tx.run('DELETE FROM inbox_key_wraps WHERE reviewer_id = ?', [reviewerId])
        await tx.run('DELETE FROM inbox_members WHERE reviewer_id = ?', [reviewerId])
        // Their cases go back to nobody: a report must not sit assigned to someone who cannot open it.
        await tx.run('UPDATE reports SET assignee_id = NULL WHERE assignee_id = ?', [reviewerId])
        await tx.run('DELETE FROM membership_requests WHERE reviewer_id = ? AND decided IS NULL', [reviewerId])
        for (const i of inboxes) await tx.run('INSERT OR IGNORE INTO rotation_due (inbox_id, since) VALUES (?,?)', [i.inbox_id, at])
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
        if (!(await isMember(tx, input.inboxId, memberId))) throw new UserError(403, 'Only a member of this inbox can rotate its key.')
        const inbox = await tx.get<{ sign_pk: string; v: number }>(
          'SELECT i.sign_pk, (SELECT MAX(key_version) FROM inbox_keys WHERE inbox_id = i.id) AS v FROM inboxes i WHERE i.id = ?',
          [input.inboxId],
        )
        // Pinned to the stored identity key: a new key signed by any other key is not this inbox's.
        if (!inbox || !verifyPublishedKey(input.key, inbox.sign_pk)) throw new UserError(400, "The new key is not signed by this inbox's identity key.")
        if (input.key.keyVersion !== inbox.v + 1) throw new UserError(400, `The new key must be version ${inbox.v + 1}. Reload and try again.`)
        const members = (await tx.all<{ id: string }>('SELECT reviewer_id AS id FROM inbox_members WHERE inbox_id = ? ORDER BY reviewer_id', [input.inboxId])).map((m) => m.id)
        const sent = input.wraps.map((w) => w.reviewerId).sort()
        if (sent.length !== members.length || sent.some((id, i) => id !== members[i]))
          throw new UserError(400, 'The new key must be sealed to exactly the current members. Reload and try again.')
        const at = new Date().toISOString()
        await tx.run('INSERT INTO inbox_keys (inbox_id, key_version, box_pk, signature, created_at) VALUES (?,?,?,?,?)', [
          input.inboxId, input.key.keyVersion, input.key.boxPk, input.key.signature, at,
        ])
        for (const w of input.wraps)
          await tx.run('INSERT INTO inbox_key_wraps (inbox_id, key_version, reviewer_id, box_sk_wrap, sign_sk_wrap) VALUES (?,?,?,?,?)', [
            input.inboxId, input.key.keyVersion, w.reviewerId, w.boxSkWrap, w.signSkWrap,
          ])
        await tx.run('DELETE FROM rotation_due WHERE inbox_id = ?', [input.inboxId])
        await appendAudit(tx, { actor: `reviewer:${memberId}`, action: 'inbox.rotate', subject: input.inboxId, detail: { keyVersion: input.key.keyVersion, members: members.length } })
      })
      return { keyVersion: input.key.keyVersion }
    },
  }
}

export type MemberService = ReturnType<typeof memberService>
