import { beforeAll, describe, expect, it } from 'vitest'
import {
  checkInboxKeys,
  newBoxKeyPair,
  newInboxKeys,
  pinInbox,
  publishKey,
  ready,
  sealSecretTo,
  toB64,
  type InboxKeys,
  type KeyPair,
  type ListedKeyVersion,
} from '../../crypto/index'
import { newSignKeyPair } from '../../crypto/keys'

/**
 * The checks a reviewer's browser makes before using an inbox's keys. Each case below is what a
 * lying server can send, with every other check passing, so each check is the only thing that
 * catches its case.
 */
let reviewer: KeyPair
let inbox: { identity: KeyPair; versions: KeyPair[] }
const INBOX = 'inbox-one'

beforeAll(async () => {
  await ready()
  reviewer = newBoxKeyPair()
  const first = newInboxKeys(1)
  inbox = { identity: first.identity, versions: [first.encryption, newBoxKeyPair()] }
})

/** A version as an honest server lists it: published by its identity, both secrets sealed to R. */
function listed(keys: InboxKeys, to = reviewer.publicKey): ListedKeyVersion {
  return { ...publishKey(keys), boxSkWrap: sealSecretTo(keys.encryption.privateKey, to), signSkWrap: sealSecretTo(keys.identity.privateKey, to) }
}
const honest = () => inbox.versions.map((encryption, i) => listed({ identity: inbox.identity, encryption, keyVersion: i + 1 }))
const pin = () => ({ signPk: toB64(inbox.identity.publicKey), pin: pinInbox(reviewer.privateKey, INBOX, toB64(inbox.identity.publicKey)) })
const check = (versions: ListedKeyVersion[], p: ReturnType<typeof pin> | null = pin()) => checkInboxKeys(INBOX, versions, reviewer, p)
const problem = (r: ReturnType<typeof check>) => (r.ok ? 'ok' : `${r.problem}${r.keyVersion ? ` v${r.keyVersion}` : ''}`)

describe('checkInboxKeys', () => {
  it('accepts an honest inbox, pinned or on first sight, with every secret matching', () => {
    for (const p of [pin(), null]) {
      const r = check(honest(), p)
      expect(problem(r)).toBe('ok')
      if (!r.ok) continue
      expect(r.pinned).toBe(p !== null)
      expect(r.identity.privateKey).toEqual(inbox.identity.privateKey)
      expect(r.versions.map((v) => [v.keyVersion, toB64(v.encryption.privateKey)])).toEqual(inbox.versions.map((k, i) => [i + 1, toB64(k.privateKey)]))
    }
  })

  it('refuses an extra version of the server’s making, even with the real identity wrap copied in', () => {
    const fake = newBoxKeyPair()
    const real = honest()
    // The server cannot sign with S; it signs with a key of its own under S's name.
    const forged = { ...listed({ identity: newSignKeyPair(), encryption: fake, keyVersion: 3 }), signPk: real[0].signPk, signSkWrap: real[0].signSkWrap }
    expect(problem(check([...real, forged]))).toBe('signature v3')
    expect(problem(check([...real, forged], null))).toBe('signature v3')
  })

  it('refuses an identity wrap of a server-made identity under the shown identity key', () => {
    const versions = honest()
    versions[1] = { ...versions[1], signSkWrap: sealSecretTo(newSignKeyPair().privateKey, reviewer.publicKey) }
    expect(problem(check(versions, null))).toBe('identity-secret v2')
  })

  it('refuses an Ed25519 secret whose tail names the shown key but whose seed makes another', () => {
    const other = newSignKeyPair()
    const spliced = new Uint8Array(64)
    spliced.set(other.privateKey.subarray(0, 32))
    spliced.set(inbox.identity.publicKey, 32)
    const versions = honest()
    versions[0] = { ...versions[0], signSkWrap: sealSecretTo(spliced, reviewer.publicKey) }
    expect(problem(check(versions, null))).toBe('identity-secret v1')
  })

  it('refuses a real box wrap paired with a different public key, signed by an identity of the server’s', () => {
    // Everything the server can make consistent is: its own S', a new I' signed by S', S' sealed
    // to R. Only the real wrap it kept (so old reports still open) gives it away.
    const serverIdentity = newSignKeyPair()
    const served = { ...listed({ identity: serverIdentity, encryption: newBoxKeyPair(), keyVersion: 1 }), boxSkWrap: honest()[0].boxSkWrap }
    expect(problem(check([served], null))).toBe('box-secret v1')
  })

  it('refuses versions naming two identities, a repeated version, an unreadable wrap, and an empty list', () => {
    // A version signed by an identity of its own is not signed by the inbox's one.
    const other = newInboxKeys(2)
    expect(problem(check([honest()[0], listed(other)], null))).toBe('signature v2')
    expect(problem(check([honest()[0], honest()[0]]))).toBe('duplicate-version v1')
    const elsewhere = honest()
    elsewhere[1] = listed({ identity: inbox.identity, encryption: inbox.versions[1], keyVersion: 2 }, newBoxKeyPair().publicKey)
    expect(problem(check(elsewhere))).toBe('unreadable-wrap v2')
    expect(problem(check([{ ...honest()[0], boxSkWrap: 'not base64!' }]))).toBe('unreadable-wrap v1')
    expect(problem(check([]))).toBe('no-versions')
  })

  it('refuses a whole, self-consistent inbox of the server’s making once the real identity is pinned', () => {
    const server = newInboxKeys(1)
    const served = [listed(server)]
    expect(problem(check(served, null))).toBe('ok') // on first sight nothing can tell: the limit ADR 0021 states
    expect(problem(check(served))).toBe('pin-identity')
  })

  it('refuses a pin the reviewer’s key did not make, or one moved to another inbox or identity', () => {
    const server = newInboxKeys(1)
    const serverPk = toB64(server.identity.publicKey)
    // The server rewrites the pinned key to its own, keeping the MAC, or makes a MAC of its own.
    expect(problem(check([listed(server)], { ...pin(), signPk: serverPk }))).toBe('pin')
    expect(problem(check([listed(server)], { signPk: serverPk, pin: pinInbox(newBoxKeyPair().privateKey, INBOX, serverPk) }))).toBe('pin')
    // A pin is bound to its inbox: another inbox's pin of this reviewer does not verify here.
    expect(problem(check(honest(), { ...pin(), pin: pinInbox(reviewer.privateKey, 'inbox-two', pin().signPk) }))).toBe('pin')
    expect(problem(check(honest(), { ...pin(), pin: 'short' }))).toBe('pin')
  })
})

describe('pinInbox', () => {
  it('is deterministic for one reviewer, inbox and identity, and differs when any of them changes', () => {
    const pk = toB64(inbox.identity.publicKey)
    const a = pinInbox(reviewer.privateKey, INBOX, pk)
    expect(pinInbox(reviewer.privateKey, INBOX, pk)).toBe(a)
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(pinInbox(newBoxKeyPair().privateKey, INBOX, pk)).not.toBe(a)
    expect(pinInbox(reviewer.privateKey, 'inbox-two', pk)).not.toBe(a)
    expect(pinInbox(reviewer.privateKey, INBOX, toB64(newSignKeyPair().publicKey))).not.toBe(a)
  })

  it('has a fixed known answer (changing the derivation would refuse every stored pin)', () => {
    const sk = new Uint8Array(32).fill(9)
    const pk = toB64(new Uint8Array(32).fill(1))
    expect(pinInbox(sk, 'abc', pk)).toBe(KAT_PIN)
  })
})

// Computed independently: BLAKE2b-256 keyed by kdf(R.sk, 1, "inboxpin") over "candour-inbox-pin-v1\nabc\n" ‖ pk.
const KAT_PIN = 'RdNGt3uGkuMuPiRPinKsn5lIWxVuAC0uzXqVlguF5AI'
