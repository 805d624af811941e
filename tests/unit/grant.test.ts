import { beforeAll, describe, expect, it } from 'vitest'
import { checkGrant, fromB64, makeGrant, newBoxKeyPair, ready, toB64, type KeyPair } from '../../crypto/index'

/** A grant is the approver vouching, to the newcomer alone, for the identity of one inbox. */
let approver: KeyPair, newcomer: KeyPair, stranger: KeyPair, S: string
const INBOX = 'inbox-north'

beforeAll(async () => {
  await ready()
  approver = newBoxKeyPair()
  newcomer = newBoxKeyPair()
  stranger = newBoxKeyPair()
  S = toB64(new Uint8Array(32).fill(7))
})

describe('grants', () => {
  it('opens for the newcomer, from the approver, for that inbox and identity', () => {
    const g = makeGrant(INBOX, S, approver, newcomer.publicKey)
    expect(fromB64(g)).toHaveLength(72)
    expect(checkGrant(g, INBOX, S, toB64(approver.publicKey), newcomer)).toBe(true)
  })

  it('fails for another inbox, another identity, another approver or another newcomer', () => {
    const g = makeGrant(INBOX, S, approver, newcomer.publicKey)
    expect(checkGrant(g, 'inbox-south', S, toB64(approver.publicKey), newcomer)).toBe(false)
    expect(checkGrant(g, INBOX, toB64(new Uint8Array(32).fill(8)), toB64(approver.publicKey), newcomer)).toBe(false)
    expect(checkGrant(g, INBOX, S, toB64(stranger.publicKey), newcomer)).toBe(false)
    expect(checkGrant(g, INBOX, S, toB64(approver.publicKey), stranger)).toBe(false)
  })

  it('a server that holds no approver key cannot make one: its own key pair is a different approver', () => {
    const forged = makeGrant(INBOX, S, stranger, newcomer.publicKey)
    expect(checkGrant(forged, INBOX, S, toB64(approver.publicKey), newcomer)).toBe(false)
  })

  it('fails on any flipped byte, a cut or padded grant, and text that is not base64', () => {
    const bytes = fromB64(makeGrant(INBOX, S, approver, newcomer.publicKey))
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes.slice()
      b[i] ^= 1
      expect(checkGrant(toB64(b), INBOX, S, toB64(approver.publicKey), newcomer)).toBe(false)
    }
    expect(checkGrant(toB64(bytes.subarray(1)), INBOX, S, toB64(approver.publicKey), newcomer)).toBe(false)
    expect(checkGrant(toB64(new Uint8Array([...bytes, 0])), INBOX, S, toB64(approver.publicKey), newcomer)).toBe(false)
    expect(checkGrant('not base64!', INBOX, S, toB64(approver.publicKey), newcomer)).toBe(false)
    expect(checkGrant('', INBOX, S, toB64(approver.publicKey), newcomer)).toBe(false)
    expect(checkGrant(toB64(bytes), INBOX, S, 'not a key', newcomer)).toBe(false)
  })
})
