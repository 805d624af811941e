import type { ActionFunctionArgs } from '@remix-run/node'
import { postOnlyLoader } from '~/ui/http.server'
import { answerWithSession } from '~/review/reviewer-session.server'

export const loader = postOnlyLoader

/** Verifies one passkey assertion; answers with the reviewer's wrapped keys and a session cookie. */
export const action = ({ request, context }: ActionFunctionArgs) => answerWithSession(request, context, (body) => context.services.reviewers.signIn(body))
