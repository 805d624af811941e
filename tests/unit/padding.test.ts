import { describe, it, expect, beforeAll } from 'vitest'
import { ready, isBucketSize } from '../../crypto/index'
import { bucketSize, pad, unpad } from '../../crypto/padding'
import { seededRandom } from '../support/random'

// fast-check is not installed in this project, so properties loop over seeded random sizes.
const MiB = 1024 * 1024

/** Deterministic non-trivial content, including 0x80 and 0x00 bytes at the end. */
function content(n: number, seed = n): Uint8Array {
  const rand = seededRandom(seed)
  const out = new Uint8Array(n)
  for (let i = 0; i < n; i++) out[i] = Math.floor(rand() * 256)
  return out
}

const eq = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b))

beforeAll(async () => {
  await ready()
})

describe('bucketSize', () => {
  it('has a minimum bucket of 1024 (one byte is always reserved for padding)', () => {
    for (const n of [0, 1, 100, 512, 1000, 1023]) expect(bucketSize(n)).toBe(1024)
    expect(bucketSize(1024)).toBe(2048)
  })

  it('uses powers of two up to 1 MiB', () => {
    expect(bucketSize(2047)).toBe(2048)
    expect(bucketSize(2048)).toBe(4096)
    expect(bucketSize(4095)).toBe(4096)
    expect(bucketSize(4096)).toBe(8192)
    expect(bucketSize(MiB - 1)).toBe(MiB)
    for (let e = 10; e <= 20; e++) {
      expect(bucketSize(2 ** e - 1)).toBe(2 ** e)
      expect(bucketSize(2 ** (e - 1))).toBe(Math.max(1024, 2 ** e))
    }
    const rand = seededRandom(1)
    for (let i = 0; i < 2000; i++) {
      const n = Math.floor(rand() * MiB)
      const b = bucketSize(n)
      expect(Math.log2(b) % 1).toBe(0)
      expect(b).toBeGreaterThan(n)
      expect(b).toBeLessThanOrEqual(Math.max(1024, 2 * (n + 1)))
    }
  })

  it('uses Padmé above 1 MiB, with at most 12% overhead', () => {
    // need = 2^20 + 1: E = 20, S = 5, so multiples of 2^15
    expect(bucketSize(MiB)).toBe(MiB + 2 ** 15)
    expect(bucketSize(MiB + 2 ** 15 - 1)).toBe(MiB + 2 ** 15)
    expect(bucketSize(MiB + 2 ** 15)).toBe(MiB + 2 * 2 ** 15)
    expect(bucketSize(2 * MiB - 1)).toBe(2 * MiB)
    // need = 2^21 + 1: E = 21, S = 5, multiples of 2^16
    expect(bucketSize(2 * MiB)).toBe(2 * MiB + 2 ** 16)
    const rand = seededRandom(2)
    for (let i = 0; i < 5000; i++) {
      const n = MiB + Math.floor(rand() * 200 * MiB)
      const b = bucketSize(n)
      expect(b).toBeGreaterThan(n)
      expect(b / (n + 1)).toBeLessThanOrEqual(1.12)
      // Padmé leaves at most ~log2(log2(L)) + 1 significant bits
      const e = Math.floor(Math.log2(n + 1))
      const s = Math.floor(Math.log2(e)) + 1
      expect(b % 2 ** (e - s)).toBe(0)
    }
  })

  it('is monotonic', () => {
    let prev = 0
    for (let n = 0; n < 70_000; n++) {
      const b = bucketSize(n)
      expect(b >= prev).toBe(true)
      prev = b
    }
    const rand = seededRandom(3)
    const sizes = Array.from({ length: 3000 }, () => Math.floor(rand() * 64 * MiB)).sort((a, b) => a - b)
    prev = 0
    for (const n of [...sizes, MiB - 2, MiB - 1, MiB, MiB + 1].sort((a, b) => a - b)) {
      const b = bucketSize(n)
      if (b < prev) throw new Error(`bucketSize not monotonic at ${n}`)
      prev = b
    }
  })

  it('isBucketSize accepts exactly the bucket sizes', () => {
    for (const b of [1024, 2048, 4096, MiB, MiB + 2 ** 15, 2 * MiB, 2 * MiB + 2 ** 16]) expect(isBucketSize(b)).toBe(true)
    for (const b of [0, 1, 512, 1023, 1025, 1536, 3000, MiB - 1, MiB + 1, MiB + 2 ** 14, 1024.5, NaN, -1024]) expect(isBucketSize(b)).toBe(false)
    const rand = seededRandom(4)
    for (let i = 0; i < 2000; i++) {
      const n = Math.floor(rand() * 8 * MiB)
      expect(isBucketSize(bucketSize(n))).toBe(true)
    }
  })
})

describe('pad / unpad', () => {
  it('round-trips at the boundaries', () => {
    for (const n of [0, 1, 1022, 1023, 1024, 1025, 2047, 2048, 4095, 4096, 4097]) {
      const plain = content(n)
      const padded = pad(plain)
      expect(padded.length).toBe(bucketSize(n))
      expect(isBucketSize(padded.length)).toBe(true)
      expect(eq(unpad(padded), plain)).toBe(true)
    }
  })

  it('round-trips plaintexts that end in padding-like bytes', () => {
    for (const tail of [[0x80], [0x80, 0], [0], [0, 0, 0], [0x80, 0x80]]) {
      for (const n of [0, 10, 1023 - tail.length]) {
        const plain = new Uint8Array([...content(n), ...tail])
        expect(eq(unpad(pad(plain)), plain)).toBe(true)
      }
    }
  })

  it('round-trips random sizes', () => {
    const rand = seededRandom(5)
    for (let i = 0; i < 60; i++) {
      const n = Math.floor(rand() * 70_000)
      const plain = content(n, i)
      const padded = pad(plain)
      expect(padded.length).toBe(bucketSize(n))
      expect(eq(unpad(padded), plain)).toBe(true)
    }
  })

  it('round-trips across the 1 MiB boundary', () => {
    for (const n of [MiB - 1, MiB]) {
      const plain = content(n)
      const padded = pad(plain)
      expect(padded.length).toBe(bucketSize(n))
      expect(eq(unpad(padded), plain)).toBe(true)
    }
  })

  it('pads different lengths in one bucket to the same size', () => {
    expect(pad(content(0)).length).toBe(pad(content(1023)).length)
    expect(pad(content(1025)).length).toBe(pad(content(2047)).length)
    expect(pad(content(5000)).length).toBe(pad(content(8191)).length)
    expect(pad(content(1000)).length).not.toBe(pad(content(1100)).length)
  })

  it('uses ISO/IEC 7816-4 padding: 0x80 then zeros', () => {
    const padded = pad(new Uint8Array([1, 2, 3]))
    expect(padded[3]).toBe(0x80)
    expect(padded.subarray(4).every((b) => b === 0)).toBe(true)
  })

  it('rejects lengths that are not a bucket', () => {
    const padded = pad(content(100))
    for (const len of [0, 1, 100, 1023, 1025, 1536]) {
      const buf = new Uint8Array(len)
      buf.set(padded.subarray(0, Math.min(len, padded.length)))
      if (len > 0 && len <= padded.length) buf[len - 1] = 0x80
      expect(() => unpad(buf)).toThrow()
    }
    const longer = new Uint8Array(1025)
    longer.set(padded)
    expect(() => unpad(longer)).toThrow()
  })

  it('rejects corrupted padding', () => {
    const zeros = new Uint8Array(1024)
    expect(() => unpad(zeros)).toThrow()
    const lastByte = pad(content(100))
    lastByte[1023] = 0x01
    expect(() => unpad(lastByte)).toThrow()
    const marker = pad(content(100))
    marker[100] = 0x7f // the 0x80 marker replaced, all zeros after it
    expect(() => unpad(marker)).toThrow()
    const trailing = pad(content(2000))
    trailing[trailing.length - 1] = 0xff
    expect(() => unpad(trailing)).toThrow()
  })
})
