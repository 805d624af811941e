import _sodium from 'libsodium-wrappers'

export type Sodium = typeof _sodium

/** Resolves once libsodium's WebAssembly is ready; every other verb needs this first. */
export async function ready(): Promise<Sodium> {
  await _sodium.ready
  return _sodium
}

/**
 * Readiness is read off the library, not kept here: the Remix server bundle carries its own copy
 * of this file but shares the one libsodium instance the server made ready.
 */
export function sodium(): Sodium {
  if (typeof _sodium.randombytes_uniform !== 'function') throw new Error('crypto used before ready()')
  return _sodium
}
