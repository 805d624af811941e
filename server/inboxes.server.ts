import type { PublishedKey } from '#crypto'
import { verifyPublishedKey } from '#crypto'
import { appendAudit } from './audit.server'
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
}

type Row = {
  id: string
  name: string
  description: string
  custody: 'offline' | 'members'
  sign_pk: string
  key_version: number
  box_pk: string
  signature: string
}

const CURRENT = `
  SELECT i.id, i.name, i.description, i.custody, i.sign_pk, k.key_version, k.box_pk, k.signature
  FROM inboxes i JOIN inbox_keys k ON k.inbox_id = i.id
  WHERE k.key_version = (SELECT MAX(key_version) FROM inbox_keys WHERE inbox_id = i.id)`

const toSummary = (r: Row): InboxSummary => ({
  id: r.id,
  name: r.name,
  description: r.description,
  custody: r.custody,
  current: { keyVersion: r.key_version, boxPk: r.box_pk, signPk: r.sign_pk, signature: r.signature },
})

export function inboxService(store: Store) {
  return {
    /** Inboxes open to reports, each with its newest key version. */
    async list(): Promise<InboxSummary[]> {
      return (await store.read.all<Row>(`${CURRENT} ORDER BY i.name`)).map(toSummary)
    },

    /** How long each inbox keeps closed reports, for the admins' inbox page. */
    async retention(): Promise<Array<{ id: string; name: string; days: number }>> {
      return store.read.all('SELECT id, name, retention_days AS days FROM inboxes ORDER BY name')
    },

    async get(id: string): Promise<InboxSummary | undefined> {
      const row = await store.read.get<Row>(`${CURRENT} AND i.id = ?`, [id])
      return row && toSummary(row)
    },

    async keys(id: string): Promise<PublishedKey[]> {
      const rows = await store.read.all<Row>(
        `SELECT i.sign_pk, k.key_version, k.box_pk, k.signature FROM inbox_keys k JOIN inboxes i ON i.id = k.inbox_id
         WHERE k.inbox_id = ? ORDER BY k.key_version`,
        [id],
      )
      return rows.map((r) => toSummary(r).current)
    },

    /**
     * Registers an inbox from its public keys only; the secret halves never reach the server.
     * With `actor`, an inbox.create audit entry commits in the same transaction as the inbox.
     */
    async create(input: { name: string; description: string; custody: 'offline' | 'members'; key: PublishedKey; actor?: string }) {
      const name = input.name.trim()
      if (!name || name.length > LIMITS.inboxNameChars)
        throw new UserError(400, `An inbox name needs 1 to ${LIMITS.inboxNameChars} characters.`)
      if (input.description.length > LIMITS.inboxDescriptionChars)
        throw new UserError(400, `A description needs at most ${LIMITS.inboxDescriptionChars} characters.`)
      if (input.key.keyVersion !== 1 || !verifyPublishedKey(input.key))
        throw new UserError(400, 'The inbox key is not signed by its identity key.')
      const id = randomId(12)
      const at = new Date().toISOString()
      await store.transaction(async (tx) => {
        await tx.run('INSERT INTO inboxes (id, name, description, sign_pk, custody, created_at) VALUES (?,?,?,?,?,?)', [
          id,
          name,
          input.description.trim(),
          input.key.signPk,
          input.custody,
          at,
        ])
        await tx.run('INSERT INTO inbox_keys (inbox_id, key_version, box_pk, signature, created_at) VALUES (?,?,?,?,?)', [
          id,
          1,
          input.key.boxPk,
          input.key.signature,
          at,
        ])
        if (input.actor)
          await appendAudit(tx, { actor: input.actor, action: 'inbox.create', subject: id, detail: { custody: input.custody, keyVersion: 1 } })
      })
      return id
    },
  }
}

export type InboxService = ReturnType<typeof inboxService>
