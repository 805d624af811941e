import fs from 'node:fs'
import { createReadableStreamFromReadable, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { isUserError, UserError } from '#common/errors'
import { FILE_LIMITS } from '#common/limits'
import { api, jsonRefusal, onlyPost } from '~/ui/http.server'
import { sessionToken } from '~/review/reviewer-session.server'

/** The next piece of an upload's ciphertext: `?offset=N`, the upload's token as a bearer, raw bytes as the body. */
export const action = ({ request, context, params }: ActionFunctionArgs) =>
  api({ request, context }, async () => {
    onlyPost(request)
    if (!/^application\/octet-stream\b/i.test(request.headers.get('content-type') ?? '')) throw new UserError(415, 'errors.files.pieceType')
    const offset = Number(new URL(request.url).searchParams.get('offset') ?? 'x')
    const token = request.headers.get('authorization')?.match(/^Bearer (\S+)$/)?.[1]
    // Streamed to the file at its offset as it arrives, never held whole.
    const reader = request.body?.getReader()
    try {
      return await context.services.blobs.append(params.id ?? '', token, offset, parts(reader))
    } finally {
      if (reader) await readAway(reader)
    }
  })

async function* parts(reader: ReadableStreamDefaultReader<Uint8Array> | undefined) {
  if (!reader) return
  for (;;) {
    const { done, value } = await reader.read()
    if (done) return
    yield value
  }
}

/**
 * What a refused piece still carries is read and dropped, so the browser gets the answer instead
 * of a reset connection. The body limit in front has already capped it; this caps it again.
 */
async function readAway(reader: ReadableStreamDefaultReader<Uint8Array>) {
  let left = FILE_LIMITS.uploadRequestBytes + 1024
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) return
      left -= value.length
      if (left < 0) return void (await reader.cancel())
    }
  } catch {
    // The asker went away: nothing to answer.
  }
}

/**
 * One attached file's ciphertext, for its report's reporter (bearer session) or a member of its
 * inbox (reviewer cookie). Opened only in the asking browser, with the key from the sealed message.
 */
export const loader = async ({ request, context, params }: LoaderFunctionArgs) => {
  const { services } = context
  try {
    const auth = request.headers.get('authorization')
    const reviewer = auth ? undefined : services.sessions.check(sessionToken(request, context))
    if (!auth && !reviewer) throw new UserError(401, 'errors.request.signInFirst')
    const blob = await services.blobs.forReading(params.id ?? '', auth ? { reportId: services.auth.reportFor(auth) } : { reviewerId: reviewer!.reviewerId })
    return new Response(createReadableStreamFromReadable(fs.createReadStream(blob.file)), {
      headers: {
        'content-type': 'application/octet-stream',
        'content-length': String(blob.size),
        // Never shown by the browser as a page, whatever the bytes are.
        'content-disposition': 'attachment; filename="sealed.bin"',
        'cache-control': 'no-store',
      },
    })
  } catch (err) {
    if (isUserError(err)) return jsonRefusal({ request, context }, err)
    throw err
  }
}
