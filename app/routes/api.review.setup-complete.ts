import type { ActionFunctionArgs } from '@remix-run/node'
import { onlyPost, postOnlyLoader, readJson } from '~/lib/http.server'
import { answerWithSession } from '~/lib/reviewer-session.server'

export const loader = postOnlyLoader

/** The first admin's passkey, wrapped key and first inbox; answers with the keyring and a session cookie. */
export const action = ({ request, context }: ActionFunctionArgs) =>
  answerWithSession(
    request,
    context,
    async () => {
      onlyPost(request)
      return context.services.reviewers.completeSetup(await readJson(request))
    },
    201,
  )
