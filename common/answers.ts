import * as z from 'zod/mini'
import { LIMITS } from './limits'
import { CATEGORIES, ROLES, type Answers } from './report-fields'

/** The report form, one schema for both paths: the browser checks with it before sealing, the no-JS path before the server seals. */
const text = (max: number, label: string) =>
  z.pipe(
    z.string().check(z.maxLength(max, `${label} must be ${max.toLocaleString('en-GB')} characters or fewer.`)),
    z.transform((s: string) => s.replace(/\r\n/g, '\n').trim()),
  )

const answersSchema = z.object({
  categories: z.pipe(
    z.pipe(
      z.array(z.enum(CATEGORIES.map(([id]) => id) as [string, ...string[]])),
      z.transform((list: string[]) => [...new Set(list)]),
    ),
    z.array(z.string()).check(z.minLength(1, 'Choose at least one kind of behaviour.'), z.maxLength(LIMITS.categoriesMax)),
  ),
  whatHappened: text(LIMITS.whatHappenedChars, 'What happened').check(z.refine((s) => s.length > 0, 'Tell us what happened.')),
  when: text(LIMITS.whenChars, 'When it happened'),
  where: text(LIMITS.whereChars, 'Where or which team'),
  who: text(LIMITS.whoChars, 'Who was involved'),
  role: z._default(z.enum(['', ...ROLES.map(([id]) => id)] as [string, ...string[]]), ''),
  contact: text(LIMITS.contactChars, 'Contact details'),
})

/** What the form holds: the answers and the inbox they go to. */
export type FormValues = Answers & { inboxId: string }
export type FormErrors = Partial<Record<keyof FormValues, string>>

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

/** Checks the answers, and that the chosen inbox is one of those offered; every message a page shows comes from here. */
export function parseAnswers(
  values: FormValues,
  inboxKnown: boolean,
): { ok: true; answers: Answers; values: FormValues } | { ok: false; errors: FormErrors; values: FormValues } {
  const { inboxId, ...raw } = values
  const parsed = answersSchema.safeParse(raw)
  const errors: FormErrors = {}
  if (!inboxKnown) errors.inboxId = 'Choose who should receive your report.'
  if (parsed.success && !errors.inboxId) return { ok: true, answers: parsed.data as Answers, values: { ...(parsed.data as Answers), inboxId } }
  for (const issue of parsed.success ? [] : parsed.error.issues) {
    const key = String(issue.path[0] ?? 'whatHappened') as keyof FormErrors
    errors[key] ??= key === 'categories' && issue.code !== 'too_small' ? 'Choose from the kinds of behaviour listed.' : issue.message
  }
  return { ok: false, errors, values: { ...values, ...(parsed.success ? (parsed.data as Answers) : {}) } }
}
