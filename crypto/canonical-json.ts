import { utf8 } from './encoding'

/** Deeper than any body we take; a stack-safe refusal for anything deeper (the server answers 400). */
export const CANONICAL_MAX_DEPTH = 64

export class TooDeepError extends Error {
  constructor() {
    super(`JSON nested deeper than ${CANONICAL_MAX_DEPTH} levels`)
    this.name = 'TooDeepError'
  }
}

/**
 * One byte string for a JSON value, whoever encodes it: object keys sorted by UTF-16 code unit
 * (JavaScript's default sort), no whitespace, strings and numbers as JSON.stringify writes them.
 * What JSON.stringify would drop or replace is dropped or replaced the same way (undefined and
 * functions leave objects and become null in arrays; NaN and Infinity become null), so the
 * browser hashing the object it sends and the server hashing the object it parsed agree.
 */
export function canonicalJson(value: unknown): Uint8Array {
  return utf8(encode(value, 0) ?? 'null')
}

function encode(v: unknown, depth: number): string | undefined {
  if (v === null) return 'null'
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return JSON.stringify(v)
    case 'number':
      return Number.isFinite(v) ? JSON.stringify(v) : 'null'
    case 'object':
      break
    default:
      return undefined // undefined, functions, symbols; bigint never comes out of JSON.parse
  }
  if (depth >= CANONICAL_MAX_DEPTH) throw new TooDeepError()
  if (Array.isArray(v)) return `[${v.map((x) => encode(x, depth + 1) ?? 'null').join(',')}]`
  const o = v as Record<string, unknown>
  const parts: string[] = []
  for (const k of Object.keys(o).sort()) {
    const e = encode(o[k], depth + 1)
    if (e !== undefined) parts.push(`${JSON.stringify(k)}:${e}`)
  }
  return `{${parts.join(',')}}`
}
