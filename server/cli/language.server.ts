import { isUserError } from '#common/errors'
import { DEFAULT_LANG } from '#common/i18n/lang-url'
import { Refusal, type Message } from '#common/i18n/message'
import type { I18nService } from '../i18n.server'

/**
 * Says a message made below the command (common/i18n/message.ts) in the operator's language; a
 * string is already said (a system's own words, such as an error's message).
 */
export type Say = (m: Message | string) => string

/**
 * The language a locale names, read as command-line tools read it: the first of LC_ALL,
 * LC_MESSAGES and LANG that is set, by its language part (cy_GB.UTF-8 is cy). C, POSIX and any
 * language we lack are English. Nothing is stored: the terminal says it each time.
 */
export function localeLang(env: Record<string, string | undefined>, codes: readonly string[]): string {
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || ''
  const code = locale.split(/[_.@-]/)[0]!.toLowerCase()
  return codes.includes(code) ? code : DEFAULT_LANG
}

/** A refusal with the problems that caused it, each told on its own line beneath it. */
export class RefusalWithProblems extends Refusal {
  constructor(
    said: Message,
    readonly problems: Array<Message | string>,
  ) {
    super(said)
  }
}

/** The admin tool's voice in one language. */
export function speakerFor(i18n: I18nService, lang: string) {
  const translate = i18n.translatorFor(lang)
  const say: Say = (m) =>
    typeof m === 'string'
      ? m
      : translate(m.key, m.values && Object.fromEntries(Object.entries(m.values).map(([k, v]) => [k, typeof v === 'object' ? say(v) : v])))
  const lines = (items: Array<Message | string>) => items.map((m) => `\n  ${say(m)}`).join('')
  return {
    lang,
    translate,
    say,
    /** Problems as indented lines under the sentence that introduces them. */
    lines,
    /** A failed command: a refusal in the operator's language; anything unforeseen as it came. */
    sayError: (err: unknown) =>
      isUserError(err)
        ? i18n.refusal(lang, err)
        : err instanceof Refusal
          ? say(err.said) + (err instanceof RefusalWithProblems ? lines(err.problems) : '')
          : err instanceof Error
            ? err.message
            : String(err),
  }
}

export type Speaker = ReturnType<typeof speakerFor>
