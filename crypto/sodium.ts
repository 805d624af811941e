import _sodium from 'libsodium-wrappers'

export type Sodium = typeof _sodium

let readied: Sodium | undefined

/** Resolves once libsodium's WebAssembly is ready; every other verb needs this first. */
export async function ready(): Promise<Sodium> {
  await _sodium.ready
  readied = _sodium
  return _sodium
}

export function sodium(): Sodium {
  if (!readied) throw new Error('crypto used before ready()')
  return readied
}
