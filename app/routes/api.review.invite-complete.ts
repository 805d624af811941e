import type { ActionFunctionArgs } from '@remix-run/node'
import { postOnlyLoader } from '~/ui/http.server'
import { answerWithSession } from '~/review/reviewer-session.server'

export const loader = postOnlyLoader

/** The invitee's passkey and wrapped key; answers with their (inbox-less) keyring and a session cookie. */
export const action = ({ request, context }: ActionFunctionArgs) => answerWithSession(request, context, (body) => context.services.invites.complete(body), 201)
