import { LANGUAGE_CODES, LANGUAGES, messagesFor } from '#common/i18n/catalogues.server'
import { langOf } from '#common/i18n/lang-url'

/** The language a request's address asks for ('en' unless it names one we have). */
export const requestLang = (request: Request) => langOf(request.url, LANGUAGE_CODES)

/**
 * What a route's loader adds for its words: the groups it shows, in the request's language.
 * app/ui/i18n.tsx gathers them from every matched route into the page's translator.
 */
export const pageMessages = (request: Request, groups: readonly string[]) => ({ i18n: messagesFor(requestLang(request), groups) })

/** The root's share: the language itself, the switch's list and the words every page shows. */
export const rootMessages = (request: Request) => ({ lang: requestLang(request), languages: LANGUAGES, ...pageMessages(request, ['root']) })
