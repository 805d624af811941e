/**
 * Which proof-of-work challenges were spent, one bit each (decision 18). Challenges are numbered
 * in issuance windows (a new one each minute, or sooner when one is full); a window's bitmap
 * lives until every challenge in it has expired, so memory is issued/8 bytes and cannot be filled
 * by spending. Memory is still bounded: past `maxWindows` live windows the oldest is dropped
 * early, and its unspent challenges are refused as gone, which sends their holders back for a
 * fresh challenge at today's price. It never refuses a fresh one.
 */
export type SpentLimits = { windowChallenges: number; maxWindows: number }
export type SpendState = 'unspent' | 'spent' | 'gone'

type Window = { minute: number; issued: number; bits: Uint8Array; lastExpires: number }

export function spentWindows(limits: SpentLimits, now: () => number = Date.now) {
  // Insertion order is id order is expiry order: windows are only ever added at the end.
  const live = new Map<number, Window>()
  let nextId = 1
  let current: { id: number; w: Window } | undefined

  function sweep() {
    const nowSeconds = Math.floor(now() / 1000)
    for (const [id, w] of live) {
      if (w.lastExpires >= nowSeconds) break
      live.delete(id)
    }
  }

  return {
    /** Numbers a new challenge that expires at `expires` (seconds). */
    issue(expires: number): { window: number; seq: number } {
      sweep()
      const minute = Math.floor(now() / 60_000)
      if (!current || !live.has(current.id) || current.w.minute !== minute || current.w.issued >= limits.windowChallenges) {
        current = { id: nextId++, w: { minute, issued: 0, bits: new Uint8Array(Math.min(64, Math.ceil(limits.windowChallenges / 8))), lastExpires: expires } }
        live.set(current.id, current.w)
        while (live.size > limits.maxWindows) live.delete(live.keys().next().value as number)
      }
      const { w } = current
      const seq = w.issued++
      if (seq >>> 3 >= w.bits.length) {
        const grown = new Uint8Array(Math.min(w.bits.length * 2, Math.ceil(limits.windowChallenges / 8)))
        grown.set(w.bits)
        w.bits = grown
      }
      w.lastExpires = Math.max(w.lastExpires, expires)
      return { window: current.id, seq }
    },

    state(window: number, seq: number): SpendState {
      sweep()
      const w = live.get(window)
      if (!w || !Number.isInteger(seq) || seq < 0 || seq >= w.issued) return 'gone'
      return w.bits[seq >>> 3] & (1 << (seq & 7)) ? 'spent' : 'unspent'
    },

    /** Marks a challenge spent; call only after state() said 'unspent', in the same tick. */
    spend(window: number, seq: number) {
      const w = live.get(window)
      if (w) w.bits[seq >>> 3] |= 1 << (seq & 7)
    },

    /** Bytes of bitmap held now: for tests and the decision record. */
    bytes(): number {
      sweep()
      let n = 0
      for (const w of live.values()) n += w.bits.length
      return n
    },
  }
}
