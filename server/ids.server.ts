import { randomBytes, toB64 } from '#crypto'

/** An unguessable id, from crypto/'s one source of random bytes. */
export function randomId(bytes = 16): string {
  return toB64(randomBytes(bytes))
}
