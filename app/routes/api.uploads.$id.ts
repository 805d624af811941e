import type { ActionFunctionArgs } from '@remix-run/node'
import { UserError } from '#common/errors'
import { api, onlyPost, postOnlyLoader } from '~/ui/http.server'

export const loader = postOnlyLoader

/** The next piece of ciphertext: `?offset=N`, the upload's token as a bearer, raw bytes as the body. */
export const action = ({ request, context, params }: ActionFunctionArgs) =>
  api(async () => {
    onlyPost(request)
    if (!/^application\/octet-stream\b/i.test(request.headers.get('content-type') ?? ''))
      throw new UserError(415, 'Send the file piece as application/octet-stream.')
    const offset = Number(new URL(request.url).searchParams.get('offset') ?? 'x')
    const token = request.headers.get('authorization')?.match(/^Bearer (\S+)$/)?.[1]
    const bytes = new Uint8Array(await request.arrayBuffer())
    return context.services.blobs.append(params.id ?? '', token, offset, bytes)
  })
