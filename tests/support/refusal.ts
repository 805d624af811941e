import { isUserError } from '../../common/errors'
import { i18nService } from '../../server/i18n.server'

const i18n = i18nService()

/** What `fn` refused with, in the words a person reading `lang` is shown; or that it did not refuse. */
export function refusedWith(fn: () => unknown, lang = 'en'): string {
  try {
    fn()
  } catch (err) {
    return isUserError(err) ? `${err.status} ${i18n.refusal(lang, err)}` : `not a user error: ${String(err)}`
  }
  return 'accepted'
}
