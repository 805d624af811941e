import { z } from 'zod'
import { adoptionStatement, fromB64, verify, verifyPublishedKey } from '#crypto'
import { appendAudit } from '../audit.server'
import { adoptInboxRow, insertInbox, insertKeyWrap, offlineInboxKeys } from '../db/inboxes.server'
import { publishKeyVersion } from '../key-log.server'
import { allKeyLogs } from '../db/key-log.server'
import { insertMember } from '../db/members.server'
import { liveReviewer } from '../db/reviewers.server'
import type { Store } from '../db/store.server'
import { randomId } from '../ids.server'
import { UserError } from '#common/errors'
import { bytes, parseInput } from '#common/wire'
import { ceremonyStore } from './ceremonies.server'
import { newInboxSchema } from './schemas.server'

const adoptSchema = z.strictObject({
  ceremonyId: z.string().max(64),
  signature: bytes(64, 'signature'),
  wraps: z
    .array(
      z.strictObject({ keyVersion: z.number().int().min(1), boxSkWrap: bytes(32 + 48, 'inbox key wrap'), signSkWrap: bytes(64 + 48, 'inbox identity wrap') }),
    )
    .min(1)
    .max(1000),
})

/**
 * Inboxes made or adopted by an admin's browser. The server stores public keys and wraps sealed
 * to the admin's own reviewer key; adopting also proves possession of the inbox identity key.
 */
export function inboxCustody(store: Store) {
  const adoptions = ceremonyStore<{ inboxId: string; reviewerId: string }>()

  async function requireAdmin(reviewerId: string) {
    const r = await liveReviewer(store.read, reviewerId)
    if (!r) throw new UserError(401, 'errors.reviewers.signInAgain')
    if (r.role !== 'admin') throw new UserError(403, 'errors.reviewers.adminOnly')
  }

  return {
    /** Offline inboxes an admin may adopt, with their public keys to check a key file against. */
    async offline(reviewerId: string) {
      await requireAdmin(reviewerId)
      const rows = await offlineInboxKeys(store.read)
      const logs = await allKeyLogs(store.read)
      const byId = new Map<string, { id: string; name: string; signPk: string; versions: Array<{ keyVersion: number; boxPk: string }>; log: unknown[] }>()
      for (const r of rows) {
        const entry = byId.get(r.id) ?? { id: r.id, name: r.name, signPk: r.sign_pk, versions: [], log: logs.get(r.id) ?? [] }
        entry.versions.push({ keyVersion: r.key_version, boxPk: r.box_pk })
        byId.set(r.id, entry)
      }
      return [...byId.values()]
    },

    async create(reviewerId: string, raw: unknown): Promise<{ inboxId: string }> {
      await requireAdmin(reviewerId)
      const input = parseInput(newInboxSchema, raw)
      if (!verifyPublishedKey(input.key)) throw new UserError(400, 'errors.inboxes.unsignedKey')
      const inboxId = randomId(12)
      const at = new Date().toISOString()
      await store.transaction(async (tx) => {
        await insertInbox(tx, { id: inboxId, name: input.name, description: input.description, signPk: input.key.signPk, custody: 'members', at })
        await publishKeyVersion(tx, { inboxId, key: input.key, log: input.log, at })
        await insertMember(tx, inboxId, reviewerId, at)
        await insertKeyWrap(tx, { inboxId, keyVersion: 1, reviewerId, boxSkWrap: input.boxSkWrap, signSkWrap: input.signSkWrap })
        await appendAudit(tx, { actor: `reviewer:${reviewerId}`, action: 'inbox.create', subject: inboxId, detail: { custody: 'members', keyVersion: 1 } })
      })
      return { inboxId }
    },

    async adoptChallenge(reviewerId: string, inboxId: unknown) {
      await requireAdmin(reviewerId)
      const inbox = (await this.offline(reviewerId)).find((i) => i.id === inboxId)
      if (!inbox) throw new UserError(404, 'errors.inboxes.noOffline')
      const challenge = randomId(32)
      return { ceremonyId: adoptions.open(challenge, { inboxId: inbox.id, reviewerId }), challenge, reviewerId }
    },

    /** Adopts an offline inbox: the key file's identity key signs our challenge, and every key version is wrapped. */
    async adopt(reviewerId: string, raw: unknown): Promise<void> {
      await requireAdmin(reviewerId)
      const input = parseInput(adoptSchema, raw)
      const { value, challenge } = adoptions.take(input.ceremonyId)
      if (value.reviewerId !== reviewerId) throw new UserError(403, 'errors.inboxes.adoptionOfOther')
      const inbox = (await this.offline(reviewerId)).find((i) => i.id === value.inboxId)
      if (!inbox) throw new UserError(409, 'errors.inboxes.alreadyAdopted')
      const statement = adoptionStatement(fromB64(challenge), inbox.id, reviewerId)
      if (!verify('adopt', statement, fromB64(input.signature), fromB64(inbox.signPk))) throw new UserError(400, 'errors.inboxes.wrongKeyFile')
      const versions = input.wraps.map((w) => w.keyVersion).sort((a, b) => a - b)
      const expected = inbox.versions.map((v) => v.keyVersion)
      if (versions.join() !== expected.join()) throw new UserError(400, 'errors.inboxes.wrapEvery', { values: { versions: expected.join(', ') } })
      await store.transaction(async (tx) => {
        const changed = await adoptInboxRow(tx, inbox.id)
        if (changed.changes !== 1) throw new UserError(409, 'errors.inboxes.alreadyAdopted')
        await insertMember(tx, inbox.id, reviewerId, new Date().toISOString())
        for (const w of input.wraps)
          await insertKeyWrap(tx, { inboxId: inbox.id, keyVersion: w.keyVersion, reviewerId, boxSkWrap: w.boxSkWrap, signSkWrap: w.signSkWrap })
        await appendAudit(tx, { actor: `reviewer:${reviewerId}`, action: 'inbox.adopt', subject: inbox.id, detail: { keyVersions: versions.length } })
      })
    },
  }
}

export type InboxCustody = ReturnType<typeof inboxCustody>
