/**
 * An independent reader of Candour's stored format, written from docs/protocol.md alone: every
 * step below is a libsodium call the document names, with the labels and sizes it gives. It
 * imports nothing of the project's (not crypto/, not common/), so if the document left a step
 * out, this file could not open what the portal stores, and its test fails.
 */
import _sodium from 'libsodium-wrappers'

await _sodium.ready
const sodium = _sodium
const utf8 = (s: string) => sodium.from_string(s)
const text = (b: Uint8Array) => new TextDecoder('utf-8', { fatal: true }).decode(b)

/** §1: unpadded base64url everywhere. */
export const b64 = (s: string) => sodium.from_base64(s, sodium.base64_variants.URLSAFE_NO_PADDING)
export const toB64 = (b: Uint8Array) => sodium.to_base64(b, sodium.base64_variants.URLSAFE_NO_PADDING)

/** §2: normalisation, then master = BLAKE2b-256 keyed with the label, then crypto_kdf subkeys. */
export function receiptKeys(typed: string) {
  const normalised = typed
    .toUpperCase()
    .replace(/[\s\-\u2010\u2011\u2013\u2014.]/g, '')
    .replace(/[IL]/g, '1')
    .replace(/O/g, '0')
  const master = sodium.crypto_generichash(32, utf8(normalised), utf8('candour-receipt1'))
  const sub = (n: number) => sodium.crypto_kdf_derive_from_key(32, n, 'receipt_', master)
  return {
    locator: toB64(sub(1)),
    sign: sodium.crypto_sign_seed_keypair(sub(2)),
    box: sodium.crypto_box_seed_keypair(sub(3)),
    noteKey: sub(4),
  }
}

/** §4: ISO/IEC 7816-4 padding: zeros after one 0x80. */
function unpad(padded: Uint8Array): Uint8Array {
  let end = padded.length - 1
  while (end >= 0 && padded[end] === 0) end--
  if (end < 0 || padded[end] !== 0x80) throw new Error('bad padding')
  return padded.slice(0, end)
}

type Envelope = { v: 1; body: string; inbox: string; reporter?: string }

/** §4: the message key, from the inbox wrap (a reviewer) or the reporter wrap (a receipt holder). */
export const keyFromInboxWrap = (env: Envelope, inbox: { publicKey: Uint8Array; privateKey: Uint8Array }) =>
  sodium.crypto_box_seal_open(b64(env.inbox), inbox.publicKey, inbox.privateKey)

export function keyFromReporterWrap(env: Envelope, wrapped: { noteKey: Uint8Array } | { boxSk: Uint8Array; inboxPk: Uint8Array }) {
  const w = b64(env.reporter!)
  const [nonce, sealed] = [w.slice(0, 24), w.slice(24)]
  return 'noteKey' in wrapped
    ? sodium.crypto_secretbox_open_easy(sealed, nonce, wrapped.noteKey)
    : sodium.crypto_box_open_easy(sealed, nonce, wrapped.inboxPk, wrapped.boxSk)
}

/** §4 and §5.1: the body opened with the message key, unpadded, then the signed wrapper checked. */
export function openBody(env: Envelope, k: Uint8Array, purpose: string, signPk?: (payload: any) => Uint8Array) {
  const body = b64(env.body)
  const padded = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, body.slice(24), utf8('candour-envelope-v1'), body.slice(0, 24), k)
  const { m, s } = JSON.parse(text(unpad(padded))) as { m: string; s: string }
  const payload = JSON.parse(m)
  const pk = signPk ? signPk(payload) : undefined
  const verified = pk ? sodium.crypto_sign_verify_detached(b64(s), utf8(`candour-${purpose}-v1\n${m}`), pk) : false
  return { payload, verified }
}

/** v2 · Chained threads: a message's link is BLAKE2b-256 over the label and its envelope's body bytes. */
export const linkOf = (env: Envelope) => toB64(sodium.crypto_generichash(32, new Uint8Array([...utf8('candour-thread-v2\n'), ...b64(env.body)]), null))

/** §5.3: the self-note, secretbox under the note key, padded. */
export function openSelfNote(sealed: string, noteKey: Uint8Array) {
  const b = b64(sealed)
  return JSON.parse(text(unpad(sodium.crypto_secretbox_open_easy(b.slice(24), b.slice(0, 24), noteKey)))) as {
    inboxId: string
    inboxSignPk: string
    keyVersion: number
    logHead?: string
  }
}

/** §8.1: secretstream chunks of 64 KiB plus 17, the last tagged FINAL, then zeros to the bucket. */
export function openFile(stored: Uint8Array, key: Uint8Array, size: number): Uint8Array {
  const state = sodium.crypto_secretstream_xchacha20poly1305_init_pull(stored.slice(0, 24), key)
  const chunks = Math.max(1, Math.ceil(size / 65536))
  const out = new Uint8Array(size)
  for (let i = 0, at = 24; i < chunks; i++) {
    const len = Math.min(65536, size - i * 65536) + 17
    const r = sodium.crypto_secretstream_xchacha20poly1305_pull(state, stored.slice(at, at + len), utf8('candour-file-v1'))
    if (!r) throw new Error('damaged chunk')
    const last = r.tag === sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL
    if (last !== (i === chunks - 1)) throw new Error('FINAL in the wrong place')
    out.set(r.message, i * 65536)
    at += len
  }
  return out
}

/** v2 · The key log: canonical JSON (keys sorted, no whitespace) and the hash chain from genesis. */
const canonical = (v: unknown): string =>
  Array.isArray(v)
    ? `[${v.map(canonical).join(',')}]`
    : v && typeof v === 'object'
      ? `{${Object.keys(v)
          .sort()
          .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
          .join(',')}}`
      : JSON.stringify(v)

type Entry = { kind: string; pos: number; prev: string | null; signPk?: string; keyVersion?: number; boxPk?: string; sig: string; sigNew?: string }
const LOG = 'candour-key-log-v2\n'

/** Walks a log from its genesis and gives the identity in force, the newest key and the head. */
export function traceKeyLog(entries: Entry[]) {
  let signPk = '',
    prev: string | null = null,
    newest = { keyVersion: 0, boxPk: '' }
  for (const [i, e] of entries.entries()) {
    if (e.pos !== i || e.prev !== prev) throw new Error(`entry ${i} does not follow`)
    const { sig, sigNew, ...unsigned } = e
    const bytes = utf8(LOG + canonical(unsigned))
    if (e.kind === 'genesis') signPk = e.signPk!
    if (!sodium.crypto_sign_verify_detached(b64(sig), bytes, b64(signPk))) throw new Error(`entry ${i} is not signed by the identity in force`)
    if (e.kind === 'succession') {
      if (!sodium.crypto_sign_verify_detached(b64(sigNew!), bytes, b64(e.signPk!))) throw new Error(`entry ${i}: the new identity did not sign`)
      signPk = e.signPk!
    }
    if (e.keyVersion !== undefined) {
      if (e.keyVersion !== newest.keyVersion + 1) throw new Error(`entry ${i} skips a key version`)
      newest = { keyVersion: e.keyVersion, boxPk: e.boxPk! }
    }
    prev = toB64(sodium.crypto_generichash(32, utf8(LOG + canonical(e)), null))
  }
  return { signPk, newest, head: prev }
}
