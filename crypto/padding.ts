import { sodium } from './sodium'

const MIN_BUCKET = 1024
const POWER_OF_TWO_UP_TO = 1024 * 1024

/**
 * Size a plaintext of n bytes is padded to. Powers of two up to 1 MiB, so short reports of
 * similar length look the same; Padmé above that, so large files waste at most ~12%.
 */
export function bucketSize(n: number): number {
  const need = n + 1 // ISO/IEC 7816-4 padding always adds at least one byte
  if (need <= MIN_BUCKET) return MIN_BUCKET
  if (need <= POWER_OF_TWO_UP_TO) return 2 ** Math.ceil(Math.log2(need))
  const e = Math.floor(Math.log2(need))
  const s = Math.floor(Math.log2(e)) + 1
  const mask = 2 ** (e - s) - 1
  return Math.floor((need + mask) / (mask + 1)) * (mask + 1)
}

export function isBucketSize(size: number): boolean {
  return Number.isInteger(size) && size >= MIN_BUCKET && bucketSize(size - 1) === size
}

export function pad(plain: Uint8Array): Uint8Array {
  const size = bucketSize(plain.length)
  return sodium().pad(plain, size)
}

export function unpad(padded: Uint8Array): Uint8Array {
  if (!isBucketSize(padded.length)) throw new Error('not a padded bucket')
  return sodium().unpad(padded, padded.length)
}
