import type { z } from 'zod'
import { toB64 } from '../../crypto/index'
import type { Connection } from '../db/connection.server'
import { insertPasskey, type Unlock } from '../db/passkeys.server'
import { insertReviewer, type Role } from '../db/reviewers.server'
import type { reviewerKeysSchema } from './schemas.server'
import { hashToken } from './setup-tokens.server'
import type { verifyRegistration } from './webauthn.server'

/** What setup, invitations, adding a passkey and recovery all store: a verified passkey and a new reviewer. */

export type Credential = Awaited<ReturnType<typeof verifyRegistration>>
export type PasskeyWrap = { unlock: Unlock; keyWrap: string; passphraseSalt?: string }

/** A verified passkey with its wrap of R.sk; `lastUsedAt` is set when enrolling also signs in. */
export const storeCredential = (tx: Connection, reviewerId: string, credential: Credential, wrap: PasskeyWrap, at: string, lastUsedAt: string | null) =>
  insertPasskey(tx, {
    id: credential.id,
    reviewerId,
    publicKey: toB64(credential.publicKey),
    counter: credential.counter,
    transports: JSON.stringify(credential.transports ?? []),
    unlock: wrap.unlock,
    keyWrap: wrap.keyWrap,
    passphraseSalt: wrap.passphraseSalt ?? null,
    at,
    lastUsedAt,
  })

/** A new reviewer and their first passkey; only a hash of the recovery lookup id is kept. */
export async function storeNewReviewer(
  tx: Connection,
  r: { id: string; displayName: string; role: Role; keys: z.infer<typeof reviewerKeysSchema>; handle: string; at: string },
  credential: Credential,
  lastUsedAt: string | null,
) {
  await insertReviewer(tx, {
    id: r.id,
    displayName: r.displayName,
    role: r.role,
    boxPk: r.keys.boxPk,
    recoveryWrap: r.keys.recoveryWrap,
    recoveryLookup: hashToken(r.keys.recoveryLookup),
    webauthnUserId: r.handle,
    at: r.at,
  })
  await storeCredential(tx, r.id, credential, r.keys, r.at, lastUsedAt)
}
