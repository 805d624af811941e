import type { ActionFunctionArgs } from '@remix-run/node'
import { onlyPost, postOnlyLoader, readJson } from '~/lib/http.server'
import { answerWithSession } from '~/lib/reviewer-session.server'

export const loader = postOnlyLoader

/** The proof of R.sk and a new passkey; answers with the keyring and a session cookie. */
export const action = ({ request, context }: ActionFunctionArgs) =>
  answerWithSession(
    request,
    context,
    async () => {
      onlyPost(request)
      return context.services.passkeys.recover(await readJson(request))
    },
    201,
  )
