import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { z } from 'zod'
import { POW_PURPOSES } from '#crypto'
import { UserError } from '#common/errors'
import { api } from '~/ui/http.server'

const purposeSchema = z.enum(POW_PURPOSES)

/**
 * A proof-of-work challenge for one purpose, `?purpose=report`, `sign-in` or `upload`
 * (decisions 12 and 18): the route that redeems it takes only its own. Nothing is stored but one
 * bit, and fetching counts toward the price. GET for the browser (so its only POSTs stay the ones
 * that change something); POST as well.
 */
function issue(request: Request, context: LoaderFunctionArgs['context']) {
  const purpose = purposeSchema.safeParse(new URL(request.url).searchParams.get('purpose'))
  if (!purpose.success) throw new UserError(400, 'errors.pow.purpose', { values: { purposes: POW_PURPOSES.join(', ') } })
  return context.services.pow.issue(purpose.data)
}

export const loader = ({ request, context }: LoaderFunctionArgs) => api({ request, context }, () => issue(request, context))
export const action = ({ request, context }: ActionFunctionArgs) => api({ request, context }, () => issue(request, context))
