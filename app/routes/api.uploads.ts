import type { ActionFunctionArgs } from '@remix-run/node'
import { z } from 'zod'
import { parseInput } from '#common/wire'
import { api, onlyPost, postOnlyLoader, readJson } from '~/ui/http.server'

export const loader = postOnlyLoader

const bodySchema = z.strictObject({ paddedSize: z.number().int().min(1) })

/**
 * Starts an encrypted upload: anyone may (a reporter uploads before the report exists), so it
 * costs a proof of work like a report, and the answer is a capability only the caller holds.
 */
export const action = ({ request, context }: ActionFunctionArgs) =>
  api(async () => {
    onlyPost(request)
    const { paddedSize } = parseInput(bodySchema, context.services.pow.redeem(await readJson(request), 'upload'))
    return context.services.blobs.create(paddedSize)
  }, 201)
