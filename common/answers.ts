import * as z from 'zod/mini'
import { t, type Message } from './i18n/message'
import { LIMITS } from './limits'
import { CATEGORY_IDS, ROLE_IDS, type Answers } from './report-fields'

/** The report form, one schema for both paths: the browser checks with it before sealing, the no-JS path before the server seals. */
const text = (max: number) =>
  z.pipe(
    z.string().check(z.maxLength(max)),
    z.transform((s: string) => s.replace(/\r\n/g, '\n').trim()),
  )

const answersSchema = z.object({
  categories: z.pipe(
    z.pipe(
      z.array(z.enum(CATEGORY_IDS)),
      z.transform((list: Answers['categories']) => [...new Set(list)]),
    ),
    z.array(z.enum(CATEGORY_IDS)).check(z.minLength(1), z.maxLength(LIMITS.categoriesMax)),
  ),
  whatHappened: text(LIMITS.whatHappenedChars).check(z.refine((s) => s.length > 0)),
  when: text(LIMITS.whenChars),
  where: text(LIMITS.whereChars),
  who: text(LIMITS.whoChars),
  role: z._default(z.enum(['', ...ROLE_IDS]), ''),
  contact: text(LIMITS.contactChars),
})

const max = (n: number) => ({ max: n.toLocaleString('en-GB') })
/**
 * What each field's problem is called, as catalogue keys, so either path's page says it in its
 * own language: a text field can only be too long (or, for what happened, empty).
 */
const PROBLEMS: Record<keyof Answers, (code: string) => Message> = {
  categories: (code) => (code === 'too_small' ? t('report.errors.chooseCategory') : t('report.errors.unknownCategory')),
  whatHappened: (code) => (code === 'too_big' ? t('report.errors.whatHappenedTooLong', max(LIMITS.whatHappenedChars)) : t('report.errors.whatHappenedMissing')),
  when: () => t('report.errors.whenTooLong', max(LIMITS.whenChars)),
  where: () => t('report.errors.whereTooLong', max(LIMITS.whereChars)),
  who: () => t('report.errors.whoTooLong', max(LIMITS.whoChars)),
  // Only a role not offered fails, which the form cannot send: said as not chosen from the list.
  role: () => t('report.errors.unknownRole'),
  contact: () => t('report.errors.contactTooLong', max(LIMITS.contactChars)),
}

/** What the form holds: the answers and the inbox they go to. */
export type FormValues = Answers & { inboxId: string }
export type FormErrors = Partial<Record<keyof FormValues, Message>>

export const EMPTY_VALUES: FormValues = { inboxId: '', categories: [], whatHappened: '', when: '', where: '', who: '', role: '', contact: '' }

/** Reads the form's fields; unknown or repeated fields are ignored, never trusted. */
export function answersFromForm(form: FormData): FormValues {
  const one = (k: string) => {
    const v = form.get(k)
    return typeof v === 'string' ? v : ''
  }
  return {
    inboxId: one('inboxId'),
    categories: form.getAll('categories').filter((v) => typeof v === 'string') as Answers['categories'],
    whatHappened: one('whatHappened'),
    when: one('when'),
    where: one('where'),
    who: one('who'),
    role: one('role') as Answers['role'],
    contact: one('contact'),
  }
}

export const CHOOSE_INBOX = t('report.errors.chooseInbox')

/** Checks the answers, and that the chosen inbox is one of those offered; every message a page shows comes from here. */
export function parseAnswers(
  values: FormValues,
  inboxKnown: boolean,
): { ok: true; answers: Answers; values: FormValues } | { ok: false; errors: FormErrors; values: FormValues } {
  const { inboxId, ...raw } = values
  const parsed = answersSchema.safeParse(raw)
  const errors: FormErrors = {}
  if (!inboxKnown) errors.inboxId = CHOOSE_INBOX
  if (parsed.success && !errors.inboxId) return { ok: true, answers: parsed.data as Answers, values: { ...(parsed.data as Answers), inboxId } }
  for (const issue of parsed.success ? [] : parsed.error.issues) {
    const key = (String(issue.path[0]) in PROBLEMS ? issue.path[0] : 'whatHappened') as keyof Answers
    errors[key] ??= PROBLEMS[key](issue.code)
  }
  return { ok: false, errors, values: { ...values, ...(parsed.success ? (parsed.data as Answers) : {}) } }
}
