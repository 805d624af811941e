/**
 * The words a page carries, as its routes' loaders send them: whole groups ('check') or one part
 * of a group ('errors.network'), so a page that needs a few refusals does not carry them all.
 */
export type Groups = Record<string, unknown>

const isTree = (v: unknown): v is Groups => !!v && typeof v === 'object'

/** The named groups and parts of groups of one language's catalogue. */
export function pickGroups(catalogue: Groups, names: readonly string[]): Groups {
  const out: Groups = {}
  for (const name of names) {
    const [group, part] = name.split('.', 2)
    const words = catalogue[group]
    if (words === undefined) continue
    addGroups(out, part === undefined ? { [group]: words } : isTree(words) && part in words ? { [group]: { [part]: words[part] } } : {})
  }
  return out
}

/** Adds one route's words to a page's: parts of the same group join rather than replace each other. */
export function addGroups(into: Groups, from: Groups | undefined): Groups {
  for (const [group, words] of Object.entries(from ?? {})) {
    const had = into[group]
    into[group] = isTree(had) && isTree(words) ? { ...had, ...words } : words
  }
  return into
}

/** What tells one page's words from another's: its groups and their parts. */
export const groupNames = (groups: Groups): string =>
  Object.entries(groups)
    .flatMap(([group, words]) => (isTree(words) ? Object.keys(words).map((part) => `${group}.${part}`) : [group]))
    .sort()
    .join(' ')
