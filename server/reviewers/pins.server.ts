import { z } from 'zod'
import { appendAudit } from '../audit.server'
import type { Connection } from '../db/connection.server'
import { isMember } from '../db/members.server'
import { insertPin, pinOf, pinsOf } from '../db/pins.server'
import type { Store } from '../db/store.server'
import { UserError } from '#common/errors'
import { bytes, inboxIdSchema, parseInput } from '#common/wire'
import type { InboxPin } from '#crypto'
import type { MemberService } from './members.server'

const pinSchema = z.strictObject({ inboxId: inboxIdSchema, signPk: bytes(32, 'inbox identity key'), pin: bytes(32, 'pin') })

/**
 * Reviewers' pins of inbox identities (ADR 0021). The server keeps them and hands them back with
 * the keyring; it cannot make one, since each is a MAC under a key from the reviewer's R.sk. A pin
 * is written once: the browser only ever sends the same value again (the MAC is deterministic),
 * so a different one for an inbox already pinned is refused.
 */
export function pinService(store: Store, members: MemberService) {
  return {
    /** This reviewer's pins, by inbox, for the keyring payload. */
    async of(conn: Connection, reviewerId: string): Promise<Record<string, InboxPin>> {
      const rows = await pinsOf(conn, reviewerId)
      return Object.fromEntries(rows.map((r) => [r.inbox_id, { signPk: r.sign_pk, pin: r.pin }]))
    },

    /** Stores the pin a member's browser made on first sight of an inbox (or on making or adopting it). */
    async store(reviewerId: string, raw: unknown): Promise<{ pinned: true }> {
      await members.actor(reviewerId)
      const input = parseInput(pinSchema, raw)
      await store.transaction(async (tx) => {
        if (!(await isMember(tx, input.inboxId, reviewerId))) throw new UserError(403, 'errors.inboxes.pinMembersOnly')
        const had = await pinOf(tx, reviewerId, input.inboxId)
        if (had && had.sign_pk === input.signPk && had.pin === input.pin) return
        if (had) throw new UserError(409, 'errors.inboxes.pinConflict')
        await insertPin(tx, { reviewerId, inboxId: input.inboxId, signPk: input.signPk, pin: input.pin, at: new Date().toISOString() })
        // Audited, so a pin that was withheld and made again leaves a second entry in the chain.
        await appendAudit(tx, { actor: `reviewer:${reviewerId}`, action: 'inbox.pin', subject: input.inboxId })
      })
      return { pinned: true }
    },
  }
}

export type PinService = ReturnType<typeof pinService>
