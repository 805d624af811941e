import type { LoaderFunctionArgs } from '@remix-run/node'
import { api } from '~/ui/http.server'

/**
 * Every inbox's key log, public as the keys themselves: what a watcher outside fetches, as a
 * stranger would, to check that each log extends the one it saw before.
 */
export const loader = ({ request, context }: LoaderFunctionArgs) =>
  api({ request, context }, async () => ({
    inboxes: (await context.services.inboxes.list()).map((i) => ({ id: i.id, name: i.name, fingerprint: i.fingerprint, log: i.log })),
  }))
