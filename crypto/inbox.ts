import type * as z from 'zod/mini'
import { concat, fromB64, toB64, utf8 } from './encoding'
import { newBoxKeyPair, newSignKeyPair, type KeyPair } from './keys'
import { checked, parseJson, selfNotePayload, UnreadableError, writable } from './payloads'
import { sign, verify } from './signing'
import { sodium } from './sodium'

export type InboxKeys = { identity: KeyPair; encryption: KeyPair; keyVersion: number }

/** What the server publishes for an inbox key version: all of it public. */
export type PublishedKey = { keyVersion: number; boxPk: string; signPk: string; signature: string }

export function newInboxKeys(keyVersion = 1): InboxKeys {
  return { identity: newSignKeyPair(), encryption: newBoxKeyPair(), keyVersion }
}

function keyStatement(boxPk: Uint8Array, keyVersion: number): Uint8Array {
  // setUint32 would silently wrap 2^32+1 to 1, letting a server relabel a signed key.
  if (!Number.isInteger(keyVersion) || keyVersion < 1 || keyVersion > 0xffffffff) throw new Error('bad key version')
  const v = new Uint8Array(4)
  new DataView(v.buffer).setUint32(0, keyVersion)
  return concat(boxPk, v)
}

/** S signs every I version, so a reporter can follow rotation without trusting the server. */
export function publishKey(keys: InboxKeys): PublishedKey {
  const statement = keyStatement(keys.encryption.publicKey, keys.keyVersion)
  return {
    keyVersion: keys.keyVersion,
    boxPk: toB64(keys.encryption.publicKey),
    signPk: toB64(keys.identity.publicKey),
    signature: toB64(sign('inbox-key', statement, keys.identity.privateKey)),
  }
}

export function verifyPublishedKey(p: PublishedKey, pinnedSignPk?: string): boolean {
  if (pinnedSignPk !== undefined && pinnedSignPk !== p.signPk) return false
  try {
    return verify('inbox-key', keyStatement(fromB64(p.boxPk), p.keyVersion), fromB64(p.signature), fromB64(p.signPk))
  } catch {
    return false
  }
}

/** The reporter's note to self: which inbox identity they sealed to, and the newest state they verified. */
export type SelfNote = z.infer<typeof selfNotePayload>

// Room for both heads at their longest; notes sealed before the heads existed are padded to 256
// and still open.
const SELF_NOTE_BYTES = 512
const SELF_NOTE_V1_BYTES = 256

export function sealSelfNote(note: SelfNote, noteKey: Uint8Array): string {
  const s = sodium()
  const nonce = s.randombytes_buf(24)
  const padded = s.pad(utf8(JSON.stringify(writable(selfNotePayload, note, 'self-note'))), SELF_NOTE_BYTES)
  return toB64(concat(nonce, s.crypto_secretbox_easy(padded, nonce, noteKey)))
}

/** Throws if the note is not sealed with this key, and UnreadableError if what it holds is not a self-note. */
export function openSelfNote(sealed: string, noteKey: Uint8Array): SelfNote {
  const s = sodium()
  const b = fromB64(sealed)
  const plain = s.crypto_secretbox_open_easy(b.subarray(24), b.subarray(0, 24), noteKey)
  let unpadded: Uint8Array
  try {
    unpadded = s.unpad(plain, plain.length === SELF_NOTE_V1_BYTES ? SELF_NOTE_V1_BYTES : SELF_NOTE_BYTES)
  } catch {
    throw new UnreadableError()
  }
  return checked(selfNotePayload, parseJson(unpadded))
}

export const SELF_NOTE_SEALED_BYTES = 24 + SELF_NOTE_BYTES + 16
