import type { AppLoadContext } from '@remix-run/node'
import { pickGroups } from '#common/i18n/groups'

type Asked = { request: Request; context: AppLoadContext }

/**
 * What a route's loader adds for its words: the groups it shows ('check') or parts of a group
 * ('errors.receipt'), in the request's language. app/ui/i18n.tsx gathers them from every matched
 * route into the page's translator.
 */
export const pageMessages = ({ request, context }: Asked, names: readonly string[]) => {
  const { i18n } = context.services
  const groups = names.map((n) => n.split('.')[0])
  return { i18n: pickGroups(i18n.messagesFor(i18n.requestLang(request), groups), names) }
}

/**
 * The root's share: the language itself, the switch's list and the words every page shows,
 * among them what its fetches say when the server gave no words (app/ui/api.client.ts).
 */
export const rootMessages = (asked: Asked) => ({
  lang: asked.context.services.i18n.requestLang(asked.request),
  languages: asked.context.services.i18n.languages,
  ...pageMessages(asked, ['root', 'errors.network']),
})
