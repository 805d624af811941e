import { z } from 'zod'
import { credentialResponse, reviewerKeysSchema } from './schemas.server'

/** Shapes for adding, removing and recovering passkeys; wraps are checked by size, as at setup. */
const newPasskeyWrap = reviewerKeysSchema.pick({ keyWrap: true, unlock: true, passphraseSalt: true }).shape
const thirtyTwoBytes = reviewerKeysSchema.shape.recoveryLookup

export const addPasskeySchema = z.strictObject({
  ceremonyId: z.string().max(64),
  registration: credentialResponse,
  ...newPasskeyWrap,
})

export const removePasskeySchema = z.strictObject({ id: z.string().min(1).max(1024) })

export const recoverOptionsSchema = z.strictObject({ lookupId: thirtyTwoBytes })

/**
 * `answer`: the 32 bytes the server sealed to R.pk, which only the holder of R.sk can open.
 * `recoveryWrap`/`recoveryLookup`: a new recovery key made in the browser replaces the used one.
 */
export const recoverCompleteSchema = addPasskeySchema.extend({
  answer: thirtyTwoBytes,
  ...reviewerKeysSchema.pick({ recoveryWrap: true, recoveryLookup: true }).shape,
})
