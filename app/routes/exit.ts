import type { LoaderFunctionArgs } from '@remix-run/node'

/**
 * Quick exit: tells the browser to drop everything it holds for this site (cached scripts
 * included, which would show the site was visited), then sends it to the neutral page.
 */
export const loader = ({ context }: LoaderFunctionArgs) =>
  new Response(null, {
    status: 303,
    headers: {
      Location: context.services.config.quickExitUrl,
      'Clear-Site-Data': '"cache", "cookies", "storage"',
    },
  })
