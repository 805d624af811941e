import type { AppLoadContext } from '@remix-run/node'

type Asked = { request: Request; context: AppLoadContext }

/**
 * What a route's loader adds for its words: the groups it shows, in the request's language.
 * app/ui/i18n.tsx gathers them from every matched route into the page's translator.
 */
export const pageMessages = ({ request, context }: Asked, groups: readonly string[]) => {
  const { i18n } = context.services
  return { i18n: i18n.messagesFor(i18n.requestLang(request), groups) }
}

/** The root's share: the language itself, the switch's list and the words every page shows. */
export const rootMessages = (asked: Asked) => ({
  lang: asked.context.services.i18n.requestLang(asked.request),
  languages: asked.context.services.i18n.languages,
  ...pageMessages(asked, ['root']),
})
