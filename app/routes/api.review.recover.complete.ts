import type { ActionFunctionArgs } from '@remix-run/node'
import { postOnlyLoader } from '~/ui/http.server'
import { answerWithSession } from '~/review/reviewer-session.server'

export const loader = postOnlyLoader

/** The proof of R.sk, a new passkey and a new recovery key; answers with the keyring and a session cookie. */
export const action = ({ request, context }: ActionFunctionArgs) => answerWithSession(request, context, (body) => context.services.passkeys.recover(body), 201)
