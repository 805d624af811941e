import * as z from 'zod/mini'
import { plainText } from '../crypto/text'
import { LIMITS } from './limits'

/** The report's questions and plain-language words; shared by the form, the server and the CLI. */
export const CATEGORIES = [
  ['racism', 'Racism'],
  ['sexism', 'Sexism or misogyny'],
  ['homophobia', 'Homophobia or transphobia'],
  ['disablism', 'Disablist conduct'],
  ['sexual-harassment', 'Sexual harassment, or abuse of position for a sexual purpose'],
  ['bullying', 'Bullying or "banter"'],
  ['domestic-abuse', 'Domestic abuse by an officer'],
  ['corruption', 'Corruption or misuse of police systems'],
  ['other', 'Something else'],
] as const

export type Category = (typeof CATEGORIES)[number][0]

export const ROLES = [
  ['targeted', 'It was aimed at me'],
  ['witness', 'I saw or heard it'],
  ['told', 'Someone told me about it'],
] as const

export type Role = (typeof ROLES)[number][0]

export type Answers = {
  categories: Category[]
  whatHappened: string
  when: string
  where: string
  who: string
  role: Role | ''
  contact: string
}

export const categoryLabel = (id: string) => CATEGORIES.find(([c]) => c === id)?.[1] ?? id
export const roleLabel = (id: string) => ROLES.find(([r]) => r === id)?.[1] ?? 'Not said'

const CATEGORY_IDS = CATEGORIES.map(([id]) => id) as [Category, ...Category[]]
const ROLE_IDS = ROLES.map(([id]) => id) as [Role, ...Role[]]

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
