import type { ActionFunctionArgs } from '@remix-run/node'
import { api, onlyPost, postOnlyLoader, readJson } from '~/lib/http.server'

export const loader = postOnlyLoader

/** A report sealed in the browser: opaque values only. */
export const action = ({ request, context }: ActionFunctionArgs) =>
  api(async () => {
    onlyPost(request)
    return context.services.reports.submitSealed(await readJson(request))
  }, 201)
