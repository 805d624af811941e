import * as z from 'zod/mini'
import { plainText } from '../crypto/text'
import type { Translate } from './i18n/translate'
import { LIMITS } from './limits'

/** The report's questions, as IDs: what is sealed, in no language. Their labels are catalogue keys (categoryLabel). */
export const CATEGORY_IDS = ['racism', 'sexism', 'homophobia', 'disablism', 'sexual-harassment', 'bullying', 'domestic-abuse', 'corruption', 'other'] as const
export type Category = (typeof CATEGORY_IDS)[number]

export const ROLE_IDS = ['targeted', 'witness', 'told'] as const
export type Role = (typeof ROLE_IDS)[number]

export type Answers = {
  categories: Category[]
  whatHappened: string
  when: string
  where: string
  who: string
  role: Role | ''
  contact: string
}

/** A category in the reader's language: the reporter's page, or the reviewer's. Only known IDs pass readAnswers. */
export function categoryLabel(t: Translate, id: string): string {
  switch (id) {
    case 'racism':
      return t('reporter.category.racism')
    case 'sexism':
      return t('reporter.category.sexism')
    case 'homophobia':
      return t('reporter.category.homophobia')
    case 'disablism':
      return t('reporter.category.disablism')
    case 'sexual-harassment':
      return t('reporter.category.sexualHarassment')
    case 'bullying':
      return t('reporter.category.bullying')
    case 'domestic-abuse':
      return t('reporter.category.domesticAbuse')
    case 'corruption':
      return t('reporter.category.corruption')
    case 'other':
      return t('reporter.category.other')
    default:
      return id
  }
}

export function roleLabel(t: Translate, id: Role | ''): string {
  if (id === 'targeted') return t('reporter.role.targeted')
  if (id === 'witness') return t('reporter.role.witness')
  if (id === 'told') return t('reporter.role.told')
  return t('reporter.answers.notSaid')
}

/**
 * The answers exactly as the form seals them (app/reporter/report-form.tsx with JavaScript,
 * common/answers.ts without): every field, nothing else, within the form's own limits.
 * Opened answers are read only through readAnswers: a sealed report that says anything else is
 * shown as "could not be read", never half-shown. zod/mini, because pages ship this.
 */
export const sealedAnswersSchema = z.strictObject({
  categories: z.array(z.enum(CATEGORY_IDS)).check(
    z.minLength(1),
    z.maxLength(LIMITS.categoriesMax),
    z.refine((c) => new Set(c).size === c.length, 'a category named twice'),
  ),
  whatHappened: plainText(1, LIMITS.whatHappenedChars),
  when: plainText(0, LIMITS.whenChars),
  where: plainText(0, LIMITS.whereChars),
  who: plainText(0, LIMITS.whoChars),
  role: z.enum(['', ...ROLE_IDS]),
  contact: plainText(0, LIMITS.contactChars),
})

/** Opened answers as the app's Answers, or null when they are not well-formed. */
export function readAnswers(value: unknown): Answers | null {
  const parsed = sealedAnswersSchema.safeParse(value)
  if (!parsed.success) return null
  const answers: Answers = parsed.data
  return answers
}
