import type { ActionFunctionArgs } from '@remix-run/node'
import { api, onlyPost, postOnlyLoader, readJson } from '~/ui/http.server'

export const loader = postOnlyLoader

/** Finds the reviewer by the lookup id of a recovery key; answers with a proof challenge. */
export const action = ({ request, context }: ActionFunctionArgs) =>
  api(async () => {
    onlyPost(request)
    return context.services.passkeys.recoverOptions(await readJson(request))
  })
