/**
 * An in-memory map whose entries each belong to an owner (a report), bounded in total and per
 * owner, so that one owner can only ever push out its own entries. When an owner reaches its cap
 * its own oldest entry goes; when the map is full, expired entries go first, then the adding
 * owner's own oldest, and only if neither frees a place, the least recently used entry of anyone.
 * Reporter sessions and pending sign-in challenges are kept in these (decision 20).
 */
export function ownedMap<T>(opts: { max: number; perOwner: number; expired: (value: T, now: number) => boolean; now?: () => number }) {
  const now = opts.now ?? Date.now
  // Least recently used first: `touch` moves an entry to the end.
  const entries = new Map<string, { owner: string; value: T }>()
  // Per owner, oldest first (a Set keeps insertion order).
  const byOwner = new Map<string, Set<string>>()

  function remove(key: string) {
    const e = entries.get(key)
    if (!e) return
    entries.delete(key)
    const mine = byOwner.get(e.owner)
    mine?.delete(key)
    if (mine && mine.size === 0) byOwner.delete(e.owner)
  }
  const oldestOf = (owner: string) => byOwner.get(owner)?.values().next().value as string | undefined

  function makeRoom(owner: string) {
    for (let k = oldestOf(owner); k !== undefined && (byOwner.get(owner)?.size ?? 0) >= opts.perOwner; k = oldestOf(owner)) remove(k)
    if (entries.size < opts.max) return
    const t = now()
    for (const [k, e] of entries) if (opts.expired(e.value, t)) remove(k)
    if (entries.size < opts.max) return
    const own = oldestOf(owner)
    if (own !== undefined) return remove(own)
    remove(entries.keys().next().value as string)
  }

  return {
    get: (key: string): T | undefined => entries.get(key)?.value,
    ownerOf: (key: string): string | undefined => entries.get(key)?.owner,
    /** Marks an entry as just used, so it is the last of others' to go. */
    touch(key: string) {
      const e = entries.get(key)
      if (!e) return
      entries.delete(key)
      entries.set(key, e)
    },
    add(key: string, owner: string, value: T) {
      remove(key)
      makeRoom(owner)
      entries.set(key, { owner, value })
      let mine = byOwner.get(owner)
      if (!mine) byOwner.set(owner, (mine = new Set()))
      mine.add(key)
    },
    delete: remove,
    get size() {
      return entries.size
    },
    countOf: (owner: string) => byOwner.get(owner)?.size ?? 0,
  }
}
