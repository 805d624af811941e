import {
  checkPowChallenge,
  checkPowWork,
  newPowChallenge,
  POW_KEY_BYTES,
  powBodyHash,
  randomBytes,
  TooDeepError,
  type PowChallenge,
  type PowPurpose,
} from '#crypto'
import type { AbuseConfig } from './abuse-config.server'
import { UserError } from '#common/errors'
import { spentWindows } from './pow-spent.server'
import { splitProof } from '#common/wire'

/** Long enough for a slow phone at the top difficulty; short, so few windows are live. */
export const POW_TTL_SECONDS = 300

/** What the browser reads to fetch a fresh challenge and solve again without asking anyone. */
const RETRY = { retry: 'pow' } as const

/** Counts per second over the last minute, in a 60-slot ring. */
function minuteCounter(now: () => number) {
  const perSecond = new Uint32Array(60)
  let lastSecond = Math.floor(now() / 1000)
  function advance(): number {
    const sec = Math.floor(now() / 1000)
    for (let s = Math.max(lastSecond + 1, sec - 59); s <= sec; s++) perSecond[s % 60] = 0
    if (sec > lastSecond) lastSecond = sec
    return sec
  }
  return {
    add: () => void perSecond[advance() % 60]++,
    total: () => (advance(), perSecond.reduce((a, b) => a + b, 0)),
  }
}

/**
 * Proof-of-work gate for the JS submit, sign-in and upload routes (decisions 12 and 18).
 * Challenges are stateless (MACed with a key that lives and dies with this process) and name
 * their purpose; a proof is bound to its request body and must meet today's price, less
 * `powToleranceBits`. State is one bit per issued challenge until its window expires, and two
 * per-second counts for the last minute (issued and redeemed) that set the price, so fetching
 * challenges in bulk makes them dearer too. Nothing here knows who asked.
 */
export function powGate(config: AbuseConfig, now: () => number = Date.now) {
  const key = randomBytes(POW_KEY_BYTES)
  const spent = spentWindows({ windowChallenges: config.powWindowChallenges, maxWindows: config.powMaxWindows }, now)
  const issued = minuteCounter(now)
  const redeemed = minuteCounter(now)

  /** The load that sets the price: proofs redeemed, or challenges fetched ÷ k, in the last minute. */
  const load = () => Math.max(redeemed.total(), Math.ceil(issued.total() / config.powIssuedPerRedeemed))

  function difficulty(): number {
    const over = load() - config.powBusyPerMinute
    const extra = over < 0 ? 0 : 1 + Math.floor(over / config.powStepPerMinute)
    return Math.min(config.powMaxBits, config.powBaseBits + extra)
  }

  return {
    issue(purpose: PowPurpose): PowChallenge {
      const price = difficulty()
      issued.add()
      const expires = Math.floor(now() / 1000) + POW_TTL_SECONDS
      return newPowChallenge(key, { purpose, ...spent.issue(expires), difficulty: price, expires })
    },

    /**
     * Checks and spends the body's `pow` field for a route that takes `purpose`; the rest of the
     * body, for the route's own schema. Cheap checks first: the work is hashed last.
     */
    redeem(raw: unknown, purpose: PowPurpose): unknown {
      const split = splitProof(raw)
      if (!split.ok) throw split.error
      const { proof, rest } = split
      const checked = checkPowChallenge(key, proof, Math.floor(now() / 1000))
      // A challenge from before a restart fails its MAC: the page fetches a new one by itself.
      if (checked === 'mac') throw new UserError(400, 'errors.pow.failed', { hint: RETRY })
      if (checked === 'expired') throw new UserError(400, 'errors.pow.expired', { hint: RETRY })
      if (proof.purpose !== purpose) throw new UserError(400, 'errors.pow.otherPurpose')
      const state = spent.state(proof.window, proof.seq)
      if (state === 'spent') throw new UserError(400, 'errors.pow.used')
      if (state === 'gone' || proof.difficulty < difficulty() - config.powToleranceBits) throw new UserError(409, 'errors.pow.busy', { hint: RETRY })
      let bodyHash: Uint8Array
      try {
        bodyHash = powBodyHash(rest)
      } catch (err) {
        if (err instanceof TooDeepError) throw new UserError(400, 'errors.request.notUnderstood')
        throw err
      }
      if (!checkPowWork(proof, bodyHash)) throw new UserError(400, 'errors.pow.failed')
      spent.spend(proof.window, proof.seq)
      redeemed.add()
      return rest
    },

    /** For tests and the decision record: what a challenge asked now would cost. */
    difficulty,
    /** For tests and the decision record: bytes the spent set holds now. */
    spentBytes: spent.bytes,
  }
}

export type PowGate = ReturnType<typeof powGate>
