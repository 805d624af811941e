import _sodium from 'libsodium-wrappers'

export type Sodium = typeof _sodium

let loaded: Sodium | null = null

/** Resolves once libsodium's WebAssembly is ready; every other verb needs this first. */
export async function ready(): Promise<Sodium> {
  if (!loaded) {
    await _sodium.ready
    loaded = _sodium
  }
  return loaded
}

export function sodium(): Sodium {
  if (!loaded) throw new Error('crypto used before ready()')
  return loaded
}
