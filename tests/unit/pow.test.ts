import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { fromB64, ready, toB64 } from '../../crypto/index'
import { canonicalJson, CANONICAL_MAX_DEPTH, TooDeepError } from '../../crypto/canonical-json'
import {
  checkPowChallenge,
  checkPowWork,
  leadingZeroBits,
  newPowChallenge,
  POW_KEY_BYTES,
  powBodyHash,
  solvePow,
  solvePowSlice,
  type PowChallenge,
} from '../../crypto/pow'
import { sodium } from '../../crypto/sodium'
import { powGate } from '../../server/pow.server'
import { spentWindows } from '../../server/pow-spent.server'
import type { AbuseConfig } from '../../server/abuse-config.server'

let key: Uint8Array
const NOW = 1_800_000_000
const BODY = { locator: 'abc', n: 1 }
const fresh = (difficulty: number, expires = NOW + 60): PowChallenge => newPowChallenge(key, { purpose: 'report', window: 1, seq: 0, difficulty, expires })
const utf8 = (b: Uint8Array) => new TextDecoder().decode(b)

beforeAll(async () => {
  await ready()
  key = sodium().randombytes_buf(POW_KEY_BYTES)
})

describe('crypto/canonical-json: one encoding, whoever writes it', () => {
  it('sorts keys at every depth and writes no whitespace', () => {
    expect(utf8(canonicalJson({ b: [{ y: 1, x: 'é' }], a: null, '10': true, '9': false }))).toBe('{"10":true,"9":false,"a":null,"b":[{"x":"é","y":1}]}')
  })

  it('drops and replaces what JSON.stringify drops and replaces', () => {
    expect(utf8(canonicalJson({ a: undefined, b: [undefined, NaN, Infinity], c: -0 }))).toBe('{"b":[null,null,null],"c":0}')
  })

  it('the object a browser sends and the object the server parses encode the same (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(utf8(canonicalJson(JSON.parse(JSON.stringify(v))))).toBe(utf8(canonicalJson(v)))
      }),
      { numRuns: 300 },
    )
  })

  it('refuses absurd nesting with its own error instead of overflowing the stack', () => {
    let deep: unknown = 1
    for (let i = 0; i < 100_000; i++) deep = [deep]
    expect(() => canonicalJson(deep)).toThrow(TooDeepError)
    let ok: unknown = 1
    for (let i = 0; i < CANONICAL_MAX_DEPTH; i++) ok = { a: ok }
    expect(() => canonicalJson(ok)).not.toThrow()
  })
})

describe('crypto/pow: hashcash over BLAKE2b-256', () => {
  it('counts leading zero bits', () => {
    expect(leadingZeroBits(new Uint8Array([0, 0, 1]))).toBe(23)
    expect(leadingZeroBits(new Uint8Array([0x80]))).toBe(0)
    expect(leadingZeroBits(new Uint8Array([0x0f, 0xff]))).toBe(4)
    expect(leadingZeroBits(new Uint8Array([0, 0]))).toBe(16)
  })

  it('a solved challenge checks out, at several difficulties', () => {
    for (const bits of [0, 1, 8, 12]) {
      const proof = solvePow(fresh(bits), BODY)
      expect(checkPowChallenge(key, proof, NOW)).toBe('ok')
      expect(checkPowWork(proof, powBodyHash(BODY))).toBe(true)
    }
  })

  it('slices find the same nonce as one long search', () => {
    const c = fresh(10)
    const whole = solvePow(c, BODY).nonce
    let found: number | null = null
    for (let start = 0; found === null; start += 100) found = solvePowSlice(c, powBodyHash(BODY), start, 100)
    expect(found).toBe(whole)
  })

  it('a tampered field or MAC fails the MAC check', () => {
    const proof = solvePow(fresh(8), BODY)
    const flip = (b64: string) => {
      const b = fromB64(b64)
      b[0] ^= 1
      return toB64(b)
    }
    expect(checkPowChallenge(key, { ...proof, mac: flip(proof.mac) }, NOW)).toBe('mac')
    expect(checkPowChallenge(key, { ...proof, challenge: flip(proof.challenge) }, NOW)).toBe('mac')
    expect(checkPowChallenge(key, { ...proof, expires: proof.expires + 3600 }, NOW)).toBe('mac')
    // Lowering the difficulty, or claiming another purpose or spent-set slot, is a tampered field too.
    expect(checkPowChallenge(key, { ...proof, difficulty: 0 }, NOW)).toBe('mac')
    expect(checkPowChallenge(key, { ...proof, purpose: 'sign-in' }, NOW)).toBe('mac')
    expect(checkPowChallenge(key, { ...proof, seq: 1 }, NOW)).toBe('mac')
    expect(checkPowChallenge(key, { ...proof, window: 2 }, NOW)).toBe('mac')
    expect(checkPowChallenge(sodium().randombytes_buf(POW_KEY_BYTES), proof, NOW)).toBe('mac')
    expect(checkPowChallenge(key, { ...proof, mac: 'not base64!' }, NOW)).toBe('mac')
  })

  it('an expired challenge is refused even when solved', () => {
    expect(checkPowChallenge(key, solvePow(fresh(4, NOW - 1), BODY), NOW)).toBe('expired')
  })

  it('a nonce that does not meet the difficulty fails the work check', () => {
    const c = fresh(16)
    const good = solvePow(c, BODY).nonce
    // Some earlier nonce necessarily falls short (the search stops at the first that meets it).
    if (good !== 0) expect(checkPowWork({ ...c, nonce: 0 }, powBodyHash(BODY))).toBe(false)
    expect(checkPowWork({ ...c, nonce: -1 }, powBodyHash(BODY))).toBe(false)
    expect(checkPowWork({ ...c, nonce: 1.5 }, powBodyHash(BODY))).toBe(false)
  })

  it('body binding: a proof solved for one body does not pay for another', () => {
    const c = fresh(16)
    const proof = solvePow(c, { locator: 'mine' })
    expect(checkPowWork(proof, powBodyHash({ locator: 'mine' }))).toBe(true)
    // Key order is not part of the body; every value is.
    expect(checkPowWork(proof, powBodyHash({ locator: 'yours' }))).toBe(false)
    expect(checkPowWork(proof, powBodyHash({ locator: 'mine', extra: 1 }))).toBe(false)
    const two = solvePow(c, { a: 1, b: 2 })
    expect(checkPowWork(two, powBodyHash({ b: 2, a: 1 }))).toBe(true)
  })

  it('body binding holds for any two different bodies (property, 12 bits)', () => {
    // Each challenge is fresh, so a proof for a meets b's hash by chance one time in 4,096: once
    // in 40 runs happens (about 1%), twice would take a binding that does not hold.
    let byChance = 0
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => {
        fc.pre(utf8(canonicalJson(a)) !== utf8(canonicalJson(b)))
        const proof = solvePow(fresh(12), a)
        expect(checkPowWork(proof, powBodyHash(a))).toBe(true)
        expect(powBodyHash(b)).not.toEqual(powBodyHash(a))
        if (checkPowWork(proof, powBodyHash(b))) byChance++
      }),
      { numRuns: 40, seed: 18 },
    )
    expect(byChance).toBeLessThanOrEqual(1)
  })

  it('any nonce the checker accepts really has the leading zeros (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 6 }), fc.nat(), (bits, nonce) => {
        const c = fresh(bits)
        const solved = solvePowSlice(c, powBodyHash(BODY), nonce, 1) === nonce
        expect(checkPowWork({ ...c, nonce }, powBodyHash(BODY))).toBe(solved)
      }),
      { numRuns: 200 },
    )
  })
})

describe('server/pow-spent: one bit per challenge', () => {
  it('a challenge is unspent, then spent; an unknown one is gone', () => {
    const set = spentWindows({ windowChallenges: 1024, maxWindows: 4 }, () => NOW * 1000)
    const a = set.issue(NOW + 300)
    const b = set.issue(NOW + 300)
    expect(set.state(a.window, a.seq)).toBe('unspent')
    set.spend(a.window, a.seq)
    expect(set.state(a.window, a.seq)).toBe('spent')
    expect(set.state(b.window, b.seq)).toBe('unspent')
    expect(set.state(a.window, 999)).toBe('gone')
    expect(set.state(a.window + 1, 0)).toBe('gone')
  })

  it('holds issued/8 bytes, however many are spent, and drops a window once all of it expired', () => {
    let t = NOW * 1000
    const set = spentWindows({ windowChallenges: 2 ** 20, maxWindows: 16 }, () => t)
    const ids = Array.from({ length: 100_000 }, () => set.issue(Math.floor(t / 1000) + 300))
    for (const { window, seq } of ids) set.spend(window, seq)
    expect(new Set(ids.map((i) => i.window)).size).toBe(1)
    expect(set.bytes()).toBeLessThanOrEqual(2 * Math.ceil(100_000 / 8))
    for (const { window, seq } of ids.slice(0, 1000)) expect(set.state(window, seq)).toBe('spent')
    t += 301_000
    expect(set.bytes()).toBe(0)
    expect(set.state(ids[0].window, ids[0].seq)).toBe('gone')
  })

  it('a new window each minute and whenever one is full; past maxWindows the oldest goes early', () => {
    let t = NOW * 1000
    const set = spentWindows({ windowChallenges: 8, maxWindows: 3 }, () => t)
    const exp = () => Math.floor(t / 1000) + 300
    const first = set.issue(exp())
    t += 60_000
    expect(set.issue(exp()).window).toBe(first.window + 1)
    for (let i = 0; i < 7; i++) set.issue(exp())
    const third = set.issue(exp()) // the ninth in this minute: a fresh window
    expect(third).toEqual({ window: first.window + 2, seq: 0 })
    expect(set.state(first.window, first.seq)).toBe('unspent')
    set.issue(exp())
    for (let i = 0; i < 8; i++) set.issue(exp())
    // Four windows were needed; the first went early, so its holder is sent for a fresh one.
    expect(set.state(first.window, first.seq)).toBe('gone')
    const latest = set.issue(exp())
    expect(set.state(latest.window, latest.seq)).toBe('unspent')
  })
})

describe('server/pow: the gate', () => {
  const config: AbuseConfig = {
    powBaseBits: 2,
    powMaxBits: 5,
    powBusyPerMinute: 3,
    powStepPerMinute: 2,
    powToleranceBits: 1,
    powIssuedPerRedeemed: 1000,
    powWindowChallenges: 1024,
    powMaxWindows: 16,
    loginAttemptsPerHour: 10,
    noJsPostsPerMinute: 60,
    noJsPostsBurst: 20,
  }
  const withPow = (gate: ReturnType<typeof powGate>, body: Record<string, unknown>, purpose: 'report' | 'sign-in' = 'report') => ({
    ...body,
    pow: solvePow(gate.issue(purpose), body),
  })

  it('a proof is single use; the rest of the body comes back without it', () => {
    const gate = powGate(config)
    const body = withPow(gate, { locator: 'x' }, 'sign-in')
    expect(gate.redeem(body, 'sign-in')).toEqual({ locator: 'x' })
    expect(() => gate.redeem(body, 'sign-in')).toThrow(expect.objectContaining({ status: 400, key: 'errors.pow.used' }))
  })

  it('purpose binding: a proof for one route is refused by another', () => {
    const gate = powGate(config)
    const body = withPow(gate, { locator: 'x' }, 'sign-in')
    expect(() => gate.redeem(body, 'report')).toThrow(expect.objectContaining({ status: 400, key: 'errors.pow.otherPurpose' }))
    // Refused, not spent: the route it was made for still takes it.
    expect(gate.redeem(body, 'sign-in')).toEqual({ locator: 'x' })
  })

  it('body binding: a proof moved to another body is refused and stays unspent', () => {
    const gate = powGate({ ...config, powBaseBits: 12, powMaxBits: 12 })
    const { pow } = withPow(gate, { locator: 'x' })
    expect(() => gate.redeem({ locator: 'y', pow }, 'report')).toThrow(expect.objectContaining({ status: 400, key: 'errors.pow.failed' }))
    expect(gate.redeem({ locator: 'x', pow }, 'report')).toEqual({ locator: 'x' })
  })

  it('missing, malformed, unsolved or absurdly nested bodies are 400s', () => {
    const gate = powGate({ ...config, powBaseBits: 12, powMaxBits: 12 })
    const c = gate.issue('report')
    let deep: unknown = 1
    for (let i = 0; i < 1000; i++) deep = [deep]
    for (const raw of [{}, [], null, 'x', { pow: { ...c } }, { pow: { ...c, nonce: 'a' } }, { deep, pow: { ...c, nonce: 0 } }])
      expect(() => gate.redeem(raw, 'report')).toThrow(expect.objectContaining({ status: 400 }))
  })

  it('difficulty rises one bit per step above the busy threshold, and falls after a minute', () => {
    let t = 1_000_000
    const gate = powGate(config, () => t)
    expect(gate.difficulty()).toBe(2)
    const redeem = () => gate.redeem(withPow(gate, {}), 'report')
    for (let i = 0; i < 3; i++) redeem()
    expect(gate.difficulty()).toBe(3) // at the threshold: +1
    redeem()
    redeem()
    expect(gate.difficulty()).toBe(4) // two more: +2
    for (let i = 0; i < 10; i++) redeem()
    expect(gate.difficulty()).toBe(5) // capped
    t += 61_000
    expect(gate.difficulty()).toBe(2)
  })

  it("a proof below today's price less the tolerance gets 409 with retry: 'pow'; within it, it passes", () => {
    const gate = powGate({ ...config, powIssuedPerRedeemed: 1 })
    const cheap = withPow(gate, { n: 1 }) // difficulty 2
    const within = withPow(gate, { n: 2 }) // still 2; these two issues bring the load to 2
    gate.issue('report') // 3 issued: at the busy threshold, the price is 3
    expect(gate.difficulty()).toBe(3)
    expect(gate.redeem(within, 'report')).toEqual({ n: 2 }) // 2 >= 3 - 1
    for (let i = 0; i < 2; i++) gate.issue('report')
    expect(gate.difficulty()).toBe(4)
    expect(() => gate.redeem(cheap, 'report')).toThrow(expect.objectContaining({ status: 409, hint: { retry: 'pow' } }))
  })

  it('issuing challenges raises the price by itself: load is issued ÷ k when that is higher', () => {
    const gate = powGate({ ...config, powIssuedPerRedeemed: 2 })
    for (let i = 0; i < 4; i++) gate.issue('report')
    expect(gate.difficulty()).toBe(2) // 4 ÷ 2 = 2, below the busy threshold (3)
    gate.issue('upload')
    expect(gate.difficulty()).toBe(3)
  })

  it('spent proofs never fill anything up: after many, a fresh honest proof still passes', () => {
    const gate = powGate({ ...config, powBaseBits: 0, powMaxBits: 0, powWindowChallenges: 64, powMaxWindows: 2 })
    for (let i = 0; i < 5_000; i++) gate.redeem(withPow(gate, { i }), 'report')
    expect(gate.spentBytes()).toBeLessThanOrEqual(2 * 8)
    expect(gate.redeem(withPow(gate, { honest: true }), 'report')).toEqual({ honest: true })
  })
})
