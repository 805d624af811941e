import { fromB64, toB64, utf8 } from './encoding'
import { sign, verify } from './signing'
import { sodium } from './sodium'

/**
 * Release signatures: an offline Ed25519 key signs the text of a release manifest, so anyone who
 * has pinned its public key can tell a released build from any other. Its own signing purpose
 * (`candour-release-v2`) keeps such a signature from ever passing for any other, and theirs for it.
 */
export const RELEASE_PUBLIC_KEY_BYTES = 32
const SIGNATURE_BYTES = 64

export type ReleaseKey = { publicKey: string; secretKey: string }

/** A fresh release key pair, both halves as base64url. */
export function newReleaseKey(): ReleaseKey {
  const kp = sodium().crypto_sign_keypair()
  return { publicKey: toB64(kp.publicKey), secretKey: toB64(kp.privateKey) }
}

/** The public half of a release secret key (base64url in, base64url out): libsodium's secret key is seed ‖ public key. */
export function releasePublicKey(secretKey: string): string {
  const sk = fromB64(secretKey)
  if (sk.length !== 64) throw new Error('a release secret key is 64 bytes')
  return toB64(sk.slice(32))
}

/** Signs the exact text of a manifest; returns the signature as base64url. */
export function signRelease(manifestText: string, secretKey: string): string {
  return toB64(sign('release', utf8(manifestText), fromB64(secretKey)))
}

/** True only if `signature` is the release key's signature over exactly this text. */
export function verifyRelease(manifestText: string, signature: string, publicKey: string): boolean {
  try {
    const sig = fromB64(signature)
    const pk = fromB64(publicKey)
    if (sig.length !== SIGNATURE_BYTES || pk.length !== RELEASE_PUBLIC_KEY_BYTES) return false
    return verify('release', utf8(manifestText), sig, pk)
  } catch {
    return false
  }
}
