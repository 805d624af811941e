import { z } from 'zod'
import { bytes } from '#common/wire'
import { LIMITS } from '#common/limits'
import { logEntriesSchema } from '../key-log.server'

/** Shapes of what a reviewer's browser sends: wraps and public keys, checked by size only. */

const SEAL = 48 // crypto_box_seal overhead
const SECRETBOX_WRAP = 24 + 32 + 16

export const credentialResponse = z
  .looseObject({ id: z.string().min(1).max(1024), rawId: z.string().max(1024), type: z.literal('public-key') })
  .refine((r) => JSON.stringify(r).length < 16_384, 'passkey response too large')

export const reviewerKeysSchema = z.strictObject({
  boxPk: bytes(32, 'reviewer public key'),
  keyWrap: bytes(SECRETBOX_WRAP, 'key wrap'),
  recoveryWrap: bytes(SECRETBOX_WRAP, 'recovery wrap'),
  recoveryLookup: bytes(32, 'recovery lookup id'),
  unlock: z.enum(['prf', 'passphrase']),
  passphraseSalt: bytes(16, 'passphrase salt').optional(),
})

export const newInboxSchema = z.strictObject({
  name: z.string().trim().min(1, 'errors.inboxes.needName').max(LIMITS.inboxNameChars),
  description: z.string().trim().max(LIMITS.inboxDescriptionChars),
  key: z.strictObject({
    keyVersion: z.literal(1),
    boxPk: bytes(32, 'inbox public key'),
    signPk: bytes(32, 'inbox identity key'),
    signature: bytes(64, 'key signature'),
  }),
  log: logEntriesSchema,
  boxSkWrap: bytes(32 + SEAL, 'inbox key wrap'),
  signSkWrap: bytes(64 + SEAL, 'inbox identity wrap'),
})

export const setupOptionsSchema = z.strictObject({
  token: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'errors.setup.badLink'),
  displayName: z.string().trim().min(1, 'errors.setup.name').max(80),
})

export const setupCompleteSchema = z.strictObject({
  ceremonyId: z.string().max(64),
  registration: credentialResponse,
  reviewer: reviewerKeysSchema,
  inbox: newInboxSchema,
})

export const signInSchema = z.strictObject({ ceremonyId: z.string().max(200), assertion: credentialResponse })
