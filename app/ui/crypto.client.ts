/**
 * libsodium is large, so it loads only when the officer seals or opens something; the first
 * page view ships none of it.
 */
export async function loadCrypto() {
  const c = await import('#crypto')
  await c.ready()
  return c
}

export type Crypto = Awaited<ReturnType<typeof loadCrypto>>
