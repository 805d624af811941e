import type { ActionFunctionArgs } from '@remix-run/node'
import { api, onlyPost, postOnlyLoader, readJson } from '~/ui/http.server'

export const loader = postOnlyLoader

/** A report sealed in the browser: opaque values only, after a spent proof of work (decision 12). */
export const action = ({ request, context }: ActionFunctionArgs) =>
  api(async () => {
    onlyPost(request)
    const body = context.services.pow.redeem(await readJson(request), 'report')
    return context.services.reports.submitSealed(body)
  }, 201)
