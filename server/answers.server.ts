import { z } from 'zod'
import { LIMITS } from './limits'
import { CATEGORIES, ROLES, type Answers } from './report-fields'

const text = (max: number, label: string) =>
  z
    .string()
    .max(max, `${label} must be ${max.toLocaleString('en-GB')} characters or fewer.`)
    .transform((s) => s.replace(/\r\n/g, '\n').trim())

/** The report form, from plain form fields (no-JS) or the browser's own copy before sealing. */
export const answersSchema = z.object({
  categories: z
    .array(z.enum(CATEGORIES.map(([id]) => id) as [string, ...string[]]))
    .transform((list) => [...new Set(list)])
    .pipe(z.array(z.string()).min(1, 'Choose at least one kind of behaviour.').max(LIMITS.categoriesMax)),
  whatHappened: text(LIMITS.whatHappenedChars, 'What happened').refine((s) => s.length > 0, 'Tell us what happened.'),
  when: text(LIMITS.whenChars, 'When it happened'),
  where: text(LIMITS.whereChars, 'Where or which team'),
  who: text(LIMITS.whoChars, 'Who was involved'),
  role: z.enum(['', ...ROLES.map(([id]) => id)] as [string, ...string[]]).default(''),
  contact: text(LIMITS.contactChars, 'Contact details'),
})

export type FieldErrors = Partial<Record<keyof Answers | 'inboxId', string>>

/** Reads the form's fields; unknown or repeated fields are ignored, never trusted. */
export function answersFromForm(form: FormData): unknown {
  const one = (k: string) => {
    const v = form.get(k)
    return typeof v === 'string' ? v : ''
  }
  return {
    categories: form.getAll('categories').filter((v) => typeof v === 'string'),
    whatHappened: one('whatHappened'),
    when: one('when'),
    where: one('where'),
    who: one('who'),
    role: one('role'),
    contact: one('contact'),
  }
}

export function parseAnswers(raw: unknown): { ok: true; answers: Answers } | { ok: false; errors: FieldErrors } {
  const parsed = answersSchema.safeParse(raw)
  if (parsed.success) return { ok: true, answers: parsed.data as Answers }
  const errors: FieldErrors = {}
  for (const issue of parsed.error.issues) {
    const key = String(issue.path[0] ?? 'whatHappened') as keyof FieldErrors
    errors[key] ??= key === 'categories' && issue.code !== 'too_small' ? 'Choose from the kinds of behaviour listed.' : issue.message
  }
  return { ok: false, errors }
}
