import { createHash } from 'node:crypto'
import { appendAudit } from '../audit.server'
import type { Connection } from '../db/connection.server'
import { insertSetupToken, setupTokenByHash } from '../db/invites.server'
import { anyReviewer } from '../db/reviewers.server'
import type { Store } from '../db/store.server'
import { randomId } from '../ids.server'
import { UserError } from '#common/errors'

const SETUP_TTL_MS = 24 * 60 * 60 * 1000
export const hashToken = (s: string) => createHash('sha256').update(s).digest('base64url')

/** A one-time link for the first admin: only its hash is stored, and it lives 24 hours. */
export async function createSetupToken(store: Store, actor: 'operator' | 'system'): Promise<string> {
  const token = randomId(32)
  const expires = new Date(Date.now() + SETUP_TTL_MS).toISOString()
  await store.transaction(async (tx) => {
    await insertSetupToken(tx, hashToken(token), expires)
    await appendAudit(tx, { actor, action: 'setup.link', detail: { expiresAt: expires } })
  })
  return token
}

/**
 * A setup link only ever makes the first admin: once any reviewer exists, every link left over
 * from earlier starts is dead, and further reviewers come by an admin's invitation.
 */
export async function requireUnusedSetupToken(store: Store, tokenHash: string): Promise<void> {
  if (await anyReviewer(store.read)) throw new UserError(410, 'errors.setup.done')
  const row = await setupTokenByHash(store.read, tokenHash)
  if (!row || row.used_at || row.expires_at < new Date().toISOString()) throw new UserError(410, 'errors.setup.usedOrExpired')
}

/** The same check inside the transaction that creates the first admin, so two at once cannot both win. */
export async function requireNoReviewerYet(tx: Connection): Promise<void> {
  if (await anyReviewer(tx)) throw new UserError(410, 'errors.setup.done')
}

export const setupUrl = (publicUrl: URL, token: string) => new URL(`/review/setup#${token}`, publicUrl).href
