import { z } from 'zod'
import { parseInput } from '#common/wire'
import { jsonAction, postOnlyLoader } from '~/ui/http.server'

export const loader = postOnlyLoader

const bodySchema = z.strictObject({ paddedSize: z.number().int().min(1) })

/**
 * Starts an encrypted upload: anyone may (a reporter uploads before the report exists), so it
 * costs a proof of work like a report, and the answer is a capability only the caller holds.
 */
export const action = jsonAction((s, body) => {
  const { paddedSize } = parseInput(bodySchema, s.pow.redeem(body, 'upload'))
  return s.blobs.create(paddedSize)
}, 201)
