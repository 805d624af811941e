/**
 * The unlock passphrase for authenticators without PRF: Argon2id, which only libsodium's sumo
 * build has. It is loaded here, on this path alone, so nobody else downloads it.
 */
export const PASSPHRASE_MIN_CHARS = 12
export const PASSPHRASE_SALT_BYTES = 16

// Reviewers use desktops; 64 MiB and 3 passes take about a second there and make guessing slow.
const OPS = 3
const MEM = 64 * 1024 * 1024

export async function wrapKeyFromPassphrase(passphrase: string, salt: Uint8Array): Promise<Uint8Array> {
  if (passphrase.length < PASSPHRASE_MIN_CHARS) throw new Error(`passphrase shorter than ${PASSPHRASE_MIN_CHARS} characters`)
  if (salt.length !== PASSPHRASE_SALT_BYTES) throw new Error('bad salt')
  const sumo = (await import('libsodium-wrappers-sumo')).default
  await sumo.ready
  return sumo.crypto_pwhash(32, passphrase.normalize('NFKC'), salt, OPS, MEM, sumo.crypto_pwhash_ALG_ARGON2ID13)
}
