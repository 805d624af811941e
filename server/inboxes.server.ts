import type { PublishedKey } from '#crypto'
import { fingerprint, fromB64, keyLogEntrySchema, verifyPublishedKey } from '#crypto'
import { allKeyLogs, keyLogEntries } from './db/key-log.server'
import { appendAudit } from './audit.server'
import { currentInbox, currentInboxes, inboxKeyRows, insertInbox, retentionByInbox, type InboxKeyRow } from './db/inboxes.server'
import { publishKeyVersion } from './key-log.server'
import type { Store } from './db/store.server'
import { randomId } from './ids.server'
import { UserError } from '#common/errors'
import { LIMITS } from '#common/limits'

export type InboxSummary = {
  id: string
  name: string
  description: string
  custody: 'offline' | 'members'
  current: PublishedKey
  /** The inbox's key log: what a reporter's browser traces before sealing to `current`. */
  log: unknown[]
  /** Of the identity the log starts from, for comparison with posters; null while nothing is logged. */
  fingerprint: string | null
}

const toKey = (r: Pick<InboxKeyRow, 'sign_pk' | 'key_version' | 'box_pk' | 'signature'>): PublishedKey => ({
  keyVersion: r.key_version,
  boxPk: r.box_pk,
  signPk: r.sign_pk,
  signature: r.signature,
})

const toSummary = (r: InboxKeyRow, log: unknown[]): InboxSummary => ({
  id: r.id,
  name: r.name,
  description: r.description,
  custody: r.custody,
  current: toKey(r),
  log,
  fingerprint: logFingerprint(log),
})

/** Read off the stored genesis for display; a reader's browser traces the log itself. */
function logFingerprint(log: unknown[]): string | null {
  const genesis = keyLogEntrySchema.safeParse(log[0])
  return genesis.success && genesis.data.kind === 'genesis' ? fingerprint(fromB64(genesis.data.signPk)) : null
}

export function inboxService(store: Store) {
  return {
    /** Inboxes open to reports, each with its newest key version. */
    async list(): Promise<InboxSummary[]> {
      const logs = await allKeyLogs(store.read)
      return (await currentInboxes(store.read)).map((r) => toSummary(r, logs.get(r.id) ?? []))
    },

    /** How long each inbox keeps closed reports, for the admins' inbox page. */
    async retention(): Promise<Array<{ id: string; name: string; days: number }>> {
      return retentionByInbox(store.read)
    },

    async get(id: string): Promise<InboxSummary | undefined> {
      const row = await currentInbox(store.read, id)
      return row && toSummary(row, await keyLogEntries(store.read, id))
    },

    /** The inbox's key log, as its signers sent it. */
    log: (id: string): Promise<unknown[]> => keyLogEntries(store.read, id),

    async keys(id: string): Promise<PublishedKey[]> {
      return (await inboxKeyRows(store.read, id)).map(toKey)
    },

    /**
     * Registers an inbox from its public keys only; the secret halves never reach the server.
     * With `actor`, an inbox.create audit entry commits in the same transaction as the inbox.
     */
    async create(input: { name: string; description: string; custody: 'offline' | 'members'; key: PublishedKey; log: unknown[]; actor?: string }) {
      const name = input.name.trim()
      if (!name || name.length > LIMITS.inboxNameChars) throw new UserError(400, 'errors.inboxes.nameLength', { values: { max: LIMITS.inboxNameChars } })
      if (input.description.length > LIMITS.inboxDescriptionChars)
        throw new UserError(400, 'errors.inboxes.descriptionLength', { values: { max: LIMITS.inboxDescriptionChars } })
      if (input.key.keyVersion !== 1 || !verifyPublishedKey(input.key)) throw new UserError(400, 'errors.inboxes.unsignedKey')
      const id = randomId(12)
      const at = new Date().toISOString()
      await store.transaction(async (tx) => {
        await insertInbox(tx, { id, name, description: input.description.trim(), signPk: input.key.signPk, custody: input.custody, at })
        await publishKeyVersion(tx, { inboxId: id, key: input.key, log: input.log, at })
        if (input.actor) await appendAudit(tx, { actor: input.actor, action: 'inbox.create', subject: id, detail: { custody: input.custody, keyVersion: 1 } })
      })
      return id
    },
  }
}

export type InboxService = ReturnType<typeof inboxService>
