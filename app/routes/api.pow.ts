import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node'
import { api } from '~/lib/http.server'

/**
 * A proof-of-work challenge (decision 12): nothing is stored until a solution is redeemed.
 * GET for the browser (so its only POSTs stay the ones that change something); POST as well.
 */
export const loader = ({ context }: LoaderFunctionArgs) => api(() => context.services.pow.issue())
export const action = ({ context }: ActionFunctionArgs) => api(() => context.services.pow.issue())
