import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { fromB64, ready, toB64 } from '../../crypto/index'
import { checkPow, leadingZeroBits, newPowChallenge, POW_KEY_BYTES, solvePow, solvePowSlice } from '../../crypto/pow'
import { sodium } from '../../crypto/sodium'
import { powGate } from '../../server/pow.server'
import type { AbuseConfig } from '../../server/abuse-config.server'

let key: Uint8Array
const NOW = 1_800_000_000
beforeAll(async () => {
  await ready()
  key = sodium().randombytes_buf(POW_KEY_BYTES)
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
      const proof = solvePow(newPowChallenge(key, bits, NOW + 60))
      expect(checkPow(key, proof, NOW)).toEqual({ ok: true })
    }
  })

  it('slices find the same nonce as one long search', () => {
    const c = newPowChallenge(key, 10, NOW + 60)
    const whole = solvePow(c).nonce
    let found: number | null = null
    for (let start = 0; found === null; start += 100) found = solvePowSlice(c, start, 100)
    expect(found).toBe(whole)
  })

  it('a tampered field or MAC fails the MAC check', () => {
    const proof = solvePow(newPowChallenge(key, 8, NOW + 60))
    const flip = (b64: string) => {
      const b = fromB64(b64)
      b[0] ^= 1
      return toB64(b)
    }
    expect(checkPow(key, { ...proof, mac: flip(proof.mac) }, NOW)).toEqual({ ok: false, problem: 'mac' })
    expect(checkPow(key, { ...proof, challenge: flip(proof.challenge) }, NOW)).toEqual({ ok: false, problem: 'mac' })
    expect(checkPow(key, { ...proof, expires: proof.expires + 3600 }, NOW)).toEqual({ ok: false, problem: 'mac' })
    // Lowering the difficulty in the proof is a tampered field too.
    expect(checkPow(key, { ...proof, difficulty: 0 }, NOW)).toEqual({ ok: false, problem: 'mac' })
    expect(checkPow(sodium().randombytes_buf(POW_KEY_BYTES), proof, NOW)).toEqual({ ok: false, problem: 'mac' })
    expect(checkPow(key, { ...proof, mac: 'not base64!' }, NOW)).toEqual({ ok: false, problem: 'mac' })
  })

  it('an expired challenge is refused even when solved', () => {
    const proof = solvePow(newPowChallenge(key, 4, NOW - 1))
    expect(checkPow(key, proof, NOW)).toEqual({ ok: false, problem: 'expired' })
  })

  it('a nonce that does not meet the difficulty fails the work check', () => {
    const c = newPowChallenge(key, 16, NOW + 60)
    const good = solvePow(c).nonce
    // Some earlier nonce necessarily falls short (the search stops at the first that meets it).
    const bad = good === 0 ? 1 : 0
    if (good !== 0) expect(checkPow(key, { ...c, nonce: bad }, NOW)).toEqual({ ok: false, problem: 'work' })
    expect(checkPow(key, { ...c, nonce: -1 }, NOW)).toEqual({ ok: false, problem: 'work' })
    expect(checkPow(key, { ...c, nonce: 1.5 }, NOW)).toEqual({ ok: false, problem: 'work' })
  })

  it('any nonce the checker accepts really has the leading zeros (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 6 }), fc.nat(), (bits, nonce) => {
        const c = newPowChallenge(key, bits, NOW + 60)
        const r = checkPow(key, { ...c, nonce }, NOW)
        const solved = solvePowSlice(c, nonce, 1) === nonce
        expect(r.ok).toBe(solved)
      }),
      { numRuns: 200 },
    )
  })
})

describe('server/pow: the gate', () => {
  const config: AbuseConfig = {
    powBaseBits: 2,
    powMaxBits: 5,
    powBusyPerMinute: 3,
    powStepPerMinute: 2,
    loginAttemptsPerHour: 10,
    noJsPostsPerMinute: 60,
    noJsPostsBurst: 20,
  }

  it('a proof is single use; the rest of the body comes back without it', () => {
    const gate = powGate(config)
    const pow = solvePow(gate.issue())
    expect(gate.redeem({ locator: 'x', pow })).toEqual({ locator: 'x' })
    expect(() => gate.redeem({ locator: 'x', pow })).toThrow(/already used/)
  })

  it('missing, malformed or unsolved proofs are 400s', () => {
    const gate = powGate(config)
    const c = gate.issue()
    for (const raw of [{}, [], null, 'x', { pow: { ...c } }, { pow: { ...c, nonce: 'a' } }])
      expect(() => gate.redeem(raw)).toThrow(expect.objectContaining({ status: 400 }))
  })

  it('difficulty rises one bit per step above the busy threshold, and falls after a minute', () => {
    let t = 1_000_000
    const gate = powGate(config, () => t)
    expect(gate.difficulty()).toBe(2)
    const redeem = () => gate.redeem({ pow: solvePow(gate.issue()) })
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
})
