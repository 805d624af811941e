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
