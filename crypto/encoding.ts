import { sodium } from './sodium'

const encoder = new TextEncoder()
const decoder = new TextDecoder('utf-8', { fatal: true })

export const utf8 = (text: string): Uint8Array => encoder.encode(text)
export const fromUtf8 = (bytes: Uint8Array): string => decoder.decode(bytes)

/** URL-safe base64 without padding: the one text form for every binary value on the wire. */
export function toB64(bytes: Uint8Array): string {
  const s = sodium()
  return s.to_base64(bytes, s.base64_variants.URLSAFE_NO_PADDING)
}

export function fromB64(text: string): Uint8Array {
  const s = sodium()
  return s.from_base64(text, s.base64_variants.URLSAFE_NO_PADDING)
}

/** Length in bytes of a canonical unpadded base64url string, or -1 if it is not one. */
export function b64Length(text: string): number {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return -1
  return Math.floor((text.length * 3) / 4)
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}
