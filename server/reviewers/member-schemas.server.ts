import { z } from 'zod'
import { bytes } from '#common/wire'
import { logEntriesSchema, upgradeEntriesSchema } from '../key-log.server'
import { credentialResponse, newInboxSchema, reviewerKeysSchema } from './schemas.server'

/** Shapes for invitations, approvals, removals and rotations; sizes reuse the enrolment schemas. */
const inboxKey = newInboxSchema.shape.key.shape
const boxSkWrap = newInboxSchema.shape.boxSkWrap
const signSkWrap = newInboxSchema.shape.signSkWrap
const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'errors.request.badId')
// The wraps for one reviewer cover a bounded number of key versions (one per rotation).
const MAX_VERSIONS = 1000

export const inviteToken = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'errors.invites.badLink')

export const createInviteSchema = z.strictObject({
  displayName: z.string().trim().min(1, 'errors.invites.name').max(80),
  role: z.enum(['reviewer', 'admin']),
  inboxIds: z.array(id).min(1, 'errors.invites.chooseInbox').max(100),
})

export const inviteTokenSchema = z.strictObject({ token: inviteToken })

export const inviteCompleteSchema = z.strictObject({
  ceremonyId: z.string().max(64),
  registration: credentialResponse,
  reviewer: reviewerKeysSchema,
})

export const approveSchema = z.strictObject({
  inboxId: id,
  reviewerId: id,
  wraps: z
    .array(z.strictObject({ keyVersion: z.number().int().min(1), boxSkWrap, signSkWrap }))
    .min(1, 'errors.members.wrapsAll')
    .max(MAX_VERSIONS),
  // nonce ‖ crypto_box of the grant statement: only the newcomer can check it (ADR 0032).
  grant: bytes(72, 'grant'),
})

export const requestRefSchema = z.strictObject({ inboxId: id, reviewerId: id })

export const logExistingSchema = z.strictObject({ inboxId: id, entries: upgradeEntriesSchema })

export const removeSchema = z.strictObject({ reviewerId: id })

export const rotateSchema = z.strictObject({
  inboxId: id,
  key: z.strictObject({
    keyVersion: z.number().int().min(2).max(0xffffffff),
    boxPk: inboxKey.boxPk,
    signPk: inboxKey.signPk,
    signature: inboxKey.signature,
  }),
  log: logEntriesSchema,
  wraps: z
    .array(z.strictObject({ reviewerId: id, boxSkWrap, signSkWrap }))
    .min(1)
    .max(1000),
})
