import type { ActionFunctionArgs } from '@remix-run/node'
import { pageAction, postOnlyLoader } from '~/ui/http.server'

export const loader = postOnlyLoader

/**
 * A file from the reporter's thread without JavaScript: the code is posted again, the thread is
 * opened in this request's memory, and the file, opened whole, goes back as generic bytes under
 * its own (already made safe) name. A resource route, so the bytes are the whole answer.
 */
export const action = ({ request, context }: ActionFunctionArgs) =>
  pageAction(
    { request, context },
    async () => {
      const file = await context.services.plain.download(request)
      return new Response(file.bytes as Uint8Array<ArrayBuffer>, {
        headers: {
          'content-type': 'application/octet-stream',
          // Cache-Control: no-store comes with every answer (server/http.server.ts).
          'content-disposition': `attachment; filename="download"; filename*=UTF-8''${encodeURIComponent(file.name)}`,
        },
      })
    },
    // Plain words for a browser without JavaScript; the back button returns to the thread.
    (refusal, err) => {
      const { i18n } = context.services
      const words = i18n.translatorFor(i18n.requestLang(request))('errors.forms.goBack', { refusal })
      return new Response(words, { status: err.status, headers: { 'content-type': 'text/plain; charset=utf-8' } })
    },
  )
