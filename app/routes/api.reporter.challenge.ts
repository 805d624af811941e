import type { ActionFunctionArgs } from '@remix-run/node'
import { api, onlyPost, postOnlyLoader, readJson } from '~/ui/http.server'

export const loader = postOnlyLoader

/** Sign-in step one; the proof of work (decision 12) is spent before the locator is looked up. */
export const action = ({ request, context }: ActionFunctionArgs) =>
  api(async () => {
    onlyPost(request)
    return context.services.auth.challenge(context.services.pow.redeem(await readJson(request), 'sign-in'))
  })
