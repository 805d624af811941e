import { checkPow, newPowChallenge, POW_KEY_BYTES, type PowChallenge } from '../crypto/pow'
import { sodium } from '../crypto/sodium'
import type { AbuseConfig } from './abuse-config.server'
import { UserError } from './errors.server'
import { splitProof } from './wire.server'

/** Long enough for a slow phone at the top difficulty; short, so few spent ids are kept. */
export const POW_TTL_SECONDS = 300
/** Spent challenge ids kept until they expire (tens of MB at most); past this many, new proofs wait (429). */
const MAX_SPENT = 500_000

/**
 * Proof-of-work gate for the JS submit and sign-in routes (decision 12). Challenges are
 * stateless (MACed with a key that lives and dies with this process); the only state is the set
 * of spent challenges, until they expire, and a per-second count of redeemed proofs for the
 * last minute, which sets the difficulty. Nothing here knows who asked.
 */
export function powGate(config: AbuseConfig, now: () => number = Date.now) {
  const key = sodium().randombytes_buf(POW_KEY_BYTES)
  const spent = new Map<string, number>()
  const perSecond = new Uint32Array(60)
  let lastSecond = Math.floor(now() / 1000)

  /** Moves the 60-slot ring to the current second, zeroing the slots that went by. */
  function advance(): number {
    const sec = Math.floor(now() / 1000)
    for (let s = Math.max(lastSecond + 1, sec - 59); s <= sec; s++) perSecond[s % 60] = 0
    if (sec > lastSecond) lastSecond = sec
    return sec
  }

  function lastMinute(): number {
    advance()
    return perSecond.reduce((a, b) => a + b, 0)
  }

  function difficulty(): number {
    const over = lastMinute() - config.powBusyPerMinute
    const extra = over < 0 ? 0 : 1 + Math.floor(over / config.powStepPerMinute)
    return Math.min(config.powMaxBits, config.powBaseBits + extra)
  }

  function forgetExpired(nowSeconds: number) {
    // Every challenge lives the same TTL, so redemption order is close to expiry order.
    for (const [id, expires] of spent) {
      if (expires >= nowSeconds) break
      spent.delete(id)
    }
  }

  return {
    issue(): PowChallenge {
      return newPowChallenge(key, difficulty(), Math.floor(now() / 1000) + POW_TTL_SECONDS)
    },

    /** Checks and spends the body's `pow` field; the rest of the body, for the route's own schema. */
    redeem(raw: unknown): unknown {
      const split = splitProof(raw)
      if (!split.ok) throw new UserError(400, split.error)
      const { proof, rest } = split
      const nowSeconds = Math.floor(now() / 1000)
      const checked = checkPow(key, proof, nowSeconds)
      if (!checked.ok) {
        if (checked.problem === 'expired') throw new UserError(400, 'The device check expired. Try again.')
        throw new UserError(400, 'The device check did not pass. Reload the page and try again.')
      }
      forgetExpired(nowSeconds)
      if (spent.has(proof.challenge)) throw new UserError(400, 'This device check was already used. Try again.')
      if (spent.size >= MAX_SPENT) throw new UserError(429, 'Candour is very busy. Wait a minute and try again; nothing was sent.')
      spent.set(proof.challenge, proof.expires)
      perSecond[advance() % 60]++
      return rest
    },

    /** For tests and the decision record: what a challenge asked now would cost. */
    difficulty,
  }
}

export type PowGate = ReturnType<typeof powGate>
