import type { ActionFunctionArgs } from '@remix-run/node'
import { postOnlyLoader } from '~/ui/http.server'
import { answerWithSession } from '~/review/reviewer-session.server'

export const loader = postOnlyLoader

/** The first admin's passkey, wrapped key and first inbox; answers with the keyring and a session cookie. */
export const action = ({ request, context }: ActionFunctionArgs) =>
  answerWithSession(request, context, (body) => context.services.reviewers.completeSetup(body), 201)
