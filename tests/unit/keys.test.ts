import { describe, it, expect, beforeAll } from 'vitest'
import { ready, deriveReporterKeys, newBoxKeyPair, wipe, newReceipt, parseReceipt, toB64, b64Length } from '../../crypto/index'
import { utf8 } from '../../crypto/encoding'
import { newSignKeyPair } from '../../crypto/keys'

type Sodium = Awaited<ReturnType<typeof ready>>
let s: Sodium

beforeAll(async () => {
  s = await ready()
})

/**
 * Known-answer vectors, computed once from the implementation and frozen here, so any change to
 * the receipt derivation (label, context, subkey ids, encoding) fails this test. noteHash is
 * unkeyed BLAKE2b-256 of noteKey, so the test file does not hold the note key itself.
 */
const VECTORS = [
  {
    receipt: '000000000000000000000',
    locator: 'wvDMGdVzTXv-MFMNvxfH933qRivGBPPYI2FDwjcw6Do',
    signPk: 'uNw7aMTypxkAdMTBWvkFRA0_4J5v3Rl35fnhC6Bo1Ho',
    boxPk: 'Qhj1L1T4KnwjeXXpd2sxxur_4OUuP8e4HZPCxNSvLnc',
    noteHash: 'H5lhWxk8MaYwyF9Yg9dEjnX7gDbjD43d86DSvfhAV80',
  },
  {
    receipt: 'K7QM2XDA9PVRT4NB8HWET',
    locator: 'ncvadbSqnIGwlyN2J0Efn6AaZmhtP7WA-6tFTQhifp0',
    signPk: 'qwTcRPMfnZXqeMlk0zsEJB3pJgeUWEFU2vz7kR6vr-s',
    boxPk: 'o3gG288EqWLI6fpTDuW5Y50D5V0UhNnZFWyyNIC-p2A',
    noteHash: 'IG-gejgxpwRXP8hHO4A_nyEawLv5S_IMKW6u754MSMQ',
  },
  {
    receipt: 'ZZZZZZZZZZZZZZZZZZZZB',
    locator: 'psxfoCJQZ3RMmNZrTjgS_jjQv2gQ-xuA46p78MwB8iE',
    signPk: '0ebBqeIiCmy2N8w326dZ7ScnZinrlnyauSq5wayuUdw',
    boxPk: 'h5H8HVlKsVk14qxea5IiB6bdX2jTo9tTM14m9FwZYWw',
    noteHash: 'IpaYDTzNLp4RN3T8MZy1Ovuc1Qped0si7KmYS_txAVk',
  },
  {
    receipt: '000000000000000000011',
    locator: '-eHMjKcDvRTXXaLsE5Q3uEOctn-pFEMz-KOOxc1UjcE',
    signPk: 'g2FjBNXFoXu33yD-z2FkpVrsXnO8392Qo1Nep485H24',
    boxPk: 'RYF7B2DkxzYhVg0GUSDc_MROcvSaAn-zOh6I1xhCkT0',
    noteHash: 'u6TMTwaZdy8giilowhNG12tbRxInlzyB3Fcc-ml-o1o',
  },
] as const

/** The derivation as the protocol states it, written with raw libsodium calls. */
function rawDerive(receipt: string) {
  const master = s.crypto_generichash(32, s.from_string(receipt), s.from_string('candour-receipt1'))
  const sub = (id: number) => s.crypto_kdf_derive_from_key(32, id, 'receipt_', master)
  const sign = s.crypto_sign_seed_keypair(sub(2))
  const box = s.crypto_box_seed_keypair(sub(3))
  return { master, locator: sub(1), sign, box, noteKey: sub(4) }
}

const b64 = (bytes: Uint8Array) => s.to_base64(bytes, s.base64_variants.URLSAFE_NO_PADDING)

describe('deriveReporterKeys known answers', () => {
  it('test receipts are valid, normalised receipts', () => {
    for (const v of VECTORS) expect(parseReceipt(v.receipt)).toMatchObject({ ok: true, normalised: v.receipt })
  })

  for (const v of VECTORS) {
    it(`matches the frozen vector for ${v.receipt}`, () => {
      const k = deriveReporterKeys(v.receipt)
      expect(k.locator).toBe(v.locator)
      expect(toB64(k.sign.publicKey)).toBe(v.signPk)
      expect(toB64(k.box.publicKey)).toBe(v.boxPk)
      expect(b64(s.crypto_generichash(32, k.noteKey, null))).toBe(v.noteHash)
    })

    it(`matches an independent raw-libsodium derivation for ${v.receipt}`, () => {
      const k = deriveReporterKeys(v.receipt)
      const r = rawDerive(v.receipt)
      expect(k.locator).toBe(b64(r.locator))
      expect(b64(k.sign.publicKey)).toBe(b64(r.sign.publicKey))
      expect(b64(k.sign.privateKey)).toBe(b64(r.sign.privateKey))
      expect(b64(k.box.publicKey)).toBe(b64(r.box.publicKey))
      expect(b64(k.box.privateKey)).toBe(b64(r.box.privateKey))
      expect(b64(k.noteKey)).toBe(b64(r.noteKey))
      // and the raw derivation gives the frozen values too
      expect(b64(r.locator)).toBe(v.locator)
      expect(b64(r.sign.publicKey)).toBe(v.signPk)
      expect(b64(r.box.publicKey)).toBe(v.boxPk)
    })
  }

  it('the master key is keyed BLAKE2b-256, not unkeyed', () => {
    const r = rawDerive(VECTORS[1].receipt)
    const unkeyed = s.crypto_generichash(32, s.from_string(VECTORS[1].receipt), null)
    const viaUnkeyed = s.crypto_kdf_derive_from_key(32, 1, 'receipt_', unkeyed)
    expect(b64(viaUnkeyed)).not.toBe(VECTORS[1].locator)
    expect(r.master).toHaveLength(32)
  })
})

describe('deriveReporterKeys properties', () => {
  it('is deterministic for the same receipt', () => {
    const r = newReceipt()
    const a = deriveReporterKeys(r)
    const b = deriveReporterKeys(r)
    expect(a.locator).toBe(b.locator)
    expect(toB64(a.sign.privateKey)).toBe(toB64(b.sign.privateKey))
    expect(toB64(a.box.privateKey)).toBe(toB64(b.box.privateKey))
    expect(toB64(a.noteKey)).toBe(toB64(b.noteKey))
  })

  it('gives key material of the expected sizes', () => {
    const k = deriveReporterKeys(newReceipt())
    expect(b64Length(k.locator)).toBe(32)
    expect(k.sign.publicKey).toHaveLength(32)
    expect(k.sign.privateKey).toHaveLength(64)
    expect(k.box.publicKey).toHaveLength(32)
    expect(k.box.privateKey).toHaveLength(32)
    expect(k.noteKey).toHaveLength(32)
  })

  it('subkeys are mutually distinct (no id reuse)', () => {
    const k = deriveReporterKeys(VECTORS[1].receipt)
    const r = rawDerive(VECTORS[1].receipt)
    const parts = [
      k.locator,
      b64(k.noteKey),
      b64(s.crypto_kdf_derive_from_key(32, 2, 'receipt_', r.master)),
      b64(s.crypto_kdf_derive_from_key(32, 3, 'receipt_', r.master)),
    ]
    expect(new Set(parts).size).toBe(4)
  })

  it('different receipts give different locators and keys', () => {
    const locators = new Set<string>()
    const signPks = new Set<string>()
    const receipts = [...VECTORS.map((v) => v.receipt), ...Array.from({ length: 100 }, () => newReceipt())]
    for (const r of receipts) {
      const k = deriveReporterKeys(r)
      locators.add(k.locator)
      signPks.add(toB64(k.sign.publicKey))
    }
    expect(locators.size).toBe(receipts.length)
    expect(signPks.size).toBe(receipts.length)
  })

  it('derived sign keys sign and box keys box', () => {
    const k = deriveReporterKeys(VECTORS[0].receipt)
    const msg = utf8('hello')
    const sig = s.crypto_sign_detached(msg, k.sign.privateKey)
    expect(s.crypto_sign_verify_detached(sig, msg, k.sign.publicKey)).toBe(true)
    expect(b64(s.crypto_scalarmult_base(k.box.privateKey))).toBe(b64(k.box.publicKey))
  })

  it('wiping one derivation does not affect a later one', () => {
    const a = deriveReporterKeys(VECTORS[2].receipt)
    wipe(a.noteKey, a.sign.privateKey, a.box.privateKey)
    expect(s.is_zero(a.noteKey)).toBe(true)
    const b = deriveReporterKeys(VECTORS[2].receipt)
    expect(b64(s.crypto_generichash(32, b.noteKey, null))).toBe(VECTORS[2].noteHash)
  })
})

describe('random key pairs', () => {
  it('newSignKeyPair and newBoxKeyPair give fresh keys of the right sizes', () => {
    const a = newSignKeyPair()
    const b = newSignKeyPair()
    expect(a.publicKey).toHaveLength(32)
    expect(a.privateKey).toHaveLength(64)
    expect(toB64(a.publicKey)).not.toBe(toB64(b.publicKey))
    const c = newBoxKeyPair()
    const d = newBoxKeyPair()
    expect(c.publicKey).toHaveLength(32)
    expect(c.privateKey).toHaveLength(32)
    expect(toB64(c.publicKey)).not.toBe(toB64(d.publicKey))
    expect(Object.keys(c).sort()).toEqual(['privateKey', 'publicKey'])
  })
})
