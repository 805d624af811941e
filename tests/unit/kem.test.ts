import { createHash } from 'node:crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import { ready } from '../../crypto/index'
import { KEM_CIPHERTEXT_BYTES, KEM_PUBLIC_KEY_BYTES, kemKeyPairFromSeed, newKemKeyPair, unwrap, wrap, wrapBytes, wrapContext } from '../../crypto/kem'
import { sodium } from '../../crypto/sodium'

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex')
const fromHex = (h: string) => new Uint8Array(Buffer.from(h, 'hex'))
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex')

/**
 * The first test vector of draft-connolly-cfrg-xwing-kem-08, appendix C: seed, encapsulation seed
 * and shared secret verbatim; the 1216-byte public key by its first and last bytes and its hash.
 * The shared secret hashes the whole public key and ciphertext, so it matching proves both.
 */
const VECTOR = {
  seed: '7f9c2ba4e88f827d616045507605853ed73b8093f6efbc88eb1a6eacfa66ef26',
  pkStart: 'e2236b35a8c24b39b10aa1323a96a919a2ced88400633a7b07131713fc14b2b5',
  pkEnd: 'eff389b27dce59844570216223593d4ba32d9abac8cd049040ef6534',
  pkSha256: '2e816deebcd76c5c80d0cd2d174478871658e8e2ff42bc9d4a6e486372e856bb',
  eseed: '3cb1eea988004b93103cfb0aeefd2a686e01fa4a58e8a3639ca8a1e3f9ae57e235b8cc873c23dc62b8d260169afa2f75ab916a58d974918835d25e6a435085b2',
  ctStart: 'b83aa828d4d62b9a83ceffe1d3d3bb1ef31264643c070c5798927e41fb07914a',
  ctSha256: '17cd532d657e44c897ca6583e548a5424fc70bf54f99515a4d2bcf99e3469f33',
  ss: 'd2df0522128f09dd8e2c92b1e905c793d8f57a54c3da25861f10bf4ca613e384',
}

beforeAll(ready)

describe('X-Wing in the pinned libsodium', () => {
  it('matches the draft’s test vector from a seed', () => {
    const kp = kemKeyPairFromSeed(fromHex(VECTOR.seed))
    expect(kp.publicKey.length).toBe(KEM_PUBLIC_KEY_BYTES)
    expect(hex(kp.publicKey).startsWith(VECTOR.pkStart)).toBe(true)
    expect(hex(kp.publicKey).endsWith(VECTOR.pkEnd)).toBe(true)
    expect(sha256(kp.publicKey)).toBe(VECTOR.pkSha256)
    const { ciphertext, sharedSecret } = sodium().crypto_kem_xwing_enc_deterministic(kp.publicKey, fromHex(VECTOR.eseed))
    expect(ciphertext.length).toBe(KEM_CIPHERTEXT_BYTES)
    expect(hex(ciphertext).startsWith(VECTOR.ctStart)).toBe(true)
    expect(sha256(ciphertext)).toBe(VECTOR.ctSha256)
    expect(hex(sharedSecret)).toBe(VECTOR.ss)
    expect(hex(sodium().crypto_kem_xwing_dec(ciphertext, kp.privateKey))).toBe(VECTOR.ss)
  })

  it('gives the same key pair from the same seed, and another from another', () => {
    const seed = sodium().randombytes_buf(32)
    expect(kemKeyPairFromSeed(seed)).toEqual(kemKeyPairFromSeed(seed))
    expect(kemKeyPairFromSeed(sodium().randombytes_buf(32)).publicKey).not.toEqual(kemKeyPairFromSeed(seed).publicKey)
    expect(() => kemKeyPairFromSeed(new Uint8Array(31))).toThrow()
  })
})

describe('wrap and unwrap', () => {
  const secret = new Uint8Array(32).fill(9)
  const context = wrapContext('message-key', 'inbox-north', 2, 'report-1')

  it('round-trips a secret, from a fresh key pair and from a seeded one', () => {
    for (const kp of [newKemKeyPair(), kemKeyPairFromSeed(sodium().randombytes_buf(32))]) {
      const w = wrap(secret, kp.publicKey, context)
      expect(w.length).toBe(wrapBytes(32))
      expect(unwrap(w, kp, context)).toEqual(secret)
    }
  })

  it('never gives the same bytes twice', () => {
    const kp = newKemKeyPair()
    expect(wrap(secret, kp.publicKey, context)).not.toEqual(wrap(secret, kp.publicKey, context))
  })

  it('opens only for its own key pair', () => {
    const kp = newKemKeyPair()
    const w = wrap(secret, kp.publicKey, context)
    expect(() => unwrap(w, newKemKeyPair(), context)).toThrow()
    // The right secret key with another public key: the key derivation binds the recipient.
    expect(() => unwrap(w, { ...kp, publicKey: newKemKeyPair().publicKey }, context)).toThrow()
  })

  it('opens only in its own context: another purpose, inbox, version or report refuses it', () => {
    const kp = newKemKeyPair()
    const w = wrap(secret, kp.publicKey, context)
    for (const other of [
      wrapContext('grant', 'inbox-north', 2, 'report-1'),
      wrapContext('message-key', 'inbox-south', 2, 'report-1'),
      wrapContext('message-key', 'inbox-north', 3, 'report-1'),
      wrapContext('message-key', 'inbox-north', 2, 'report-2'),
      wrapContext('message-key', 'inbox-north', '2', 'report-1'),
    ])
      expect(() => unwrap(w, kp, other)).toThrow()
  })

  it('refuses any single flipped byte, in the ciphertext or the sealed part, and a short wrap', () => {
    const kp = newKemKeyPair()
    const w = wrap(secret, kp.publicKey, context)
    for (const i of [0, 31, 32, 600, KEM_CIPHERTEXT_BYTES - 1, KEM_CIPHERTEXT_BYTES, w.length - 1]) {
      const bad = w.slice()
      bad[i]! ^= 1
      expect(() => unwrap(bad, kp, context), `byte ${i}`).toThrow()
    }
    expect(() => unwrap(w.subarray(0, KEM_CIPHERTEXT_BYTES + 15), kp, context)).toThrow()
  })

  it('refuses a public key of the wrong size, and a context number that is not an integer', () => {
    expect(() => wrap(secret, new Uint8Array(32), context)).toThrow()
    expect(() => wrapContext('message-key', 1.5)).toThrow()
  })
})
