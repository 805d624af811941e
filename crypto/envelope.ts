import { concat, fromB64, toB64, utf8 } from './encoding'
import { pad, unpad } from './padding'
import { sodium } from './sodium'

/**
 * One envelope for every message (docs/protocol.md, section 4): the padded body is encrypted once with a fresh
 * key k, and k is wrapped once per reader. All fields are unpadded base64url.
 */
export type Envelope = {
  v: 1
  /** nonce(24) ‖ XChaCha20-Poly1305(pad(body)) */
  body: string
  /** crypto_box_seal(k, I.pk): every reviewer of the inbox */
  inbox: string
  /** nonce(24) ‖ secretbox(k, noteKey) from the reporter, or crypto_box(k, P.boxPk, I.sk) for a reply */
  reporter?: string
}

const AD = utf8('candour-envelope-v1')
export const NONCE_BYTES = 24
export const TAG_BYTES = 16
export const KEY_BYTES = 32
export const INBOX_WRAP_BYTES = 32 + TAG_BYTES + KEY_BYTES // ephemeral pk ‖ box
export const REPORTER_WRAP_BYTES = NONCE_BYTES + KEY_BYTES + TAG_BYTES

/** Who else, besides the inbox, can read this message. */
export type ReporterWrap = { kind: 'self'; noteKey: Uint8Array } | { kind: 'reply'; reporterBoxPk: Uint8Array; inboxSk: Uint8Array } | { kind: 'none' }

export function sealEnvelope(plain: Uint8Array, inboxPk: Uint8Array, reporter: ReporterWrap): Envelope {
  const s = sodium()
  const k = s.crypto_aead_xchacha20poly1305_ietf_keygen()
  const nonce = s.randombytes_buf(NONCE_BYTES)
  const body = concat(nonce, s.crypto_aead_xchacha20poly1305_ietf_encrypt(pad(plain), AD, null, nonce, k))
  const env: Envelope = { v: 1, body: toB64(body), inbox: toB64(s.crypto_box_seal(k, inboxPk)) }
  const wrapNonce = s.randombytes_buf(NONCE_BYTES)
  if (reporter.kind === 'self') env.reporter = toB64(concat(wrapNonce, s.crypto_secretbox_easy(k, wrapNonce, reporter.noteKey)))
  if (reporter.kind === 'reply') env.reporter = toB64(concat(wrapNonce, s.crypto_box_easy(k, wrapNonce, reporter.reporterBoxPk, reporter.inboxSk)))
  s.memzero(k)
  return env
}

/** How a reader recovers k. Each throws if the wrap was not made for that reader. */
export type Opener =
  | { as: 'inbox'; inbox: { publicKey: Uint8Array; privateKey: Uint8Array } }
  | { as: 'reporter-self'; noteKey: Uint8Array }
  | { as: 'reporter-reply'; reporterBoxSk: Uint8Array; inboxPk: Uint8Array }

export function openEnvelope(env: Envelope, opener: Opener): Uint8Array {
  const s = sodium()
  let k: Uint8Array
  if (opener.as === 'inbox') {
    k = s.crypto_box_seal_open(fromB64(env.inbox), opener.inbox.publicKey, opener.inbox.privateKey)
  } else {
    if (!env.reporter) throw new Error('no reporter wrap')
    const w = fromB64(env.reporter)
    const [n, c] = [w.subarray(0, NONCE_BYTES), w.subarray(NONCE_BYTES)]
    k = opener.as === 'reporter-self' ? s.crypto_secretbox_open_easy(c, n, opener.noteKey) : s.crypto_box_open_easy(c, n, opener.inboxPk, opener.reporterBoxSk)
  }
  const body = fromB64(env.body)
  const plain = s.crypto_aead_xchacha20poly1305_ietf_decrypt(null, body.subarray(NONCE_BYTES), AD, body.subarray(0, NONCE_BYTES), k)
  s.memzero(k)
  return unpad(plain)
}
