import * as z from 'zod/mini'

/**
 * Well-formed text, for every schema that checks a decrypted string: the payload schemas here
 * and the app's answers (common/report-fields.ts). Nothing else lives in this file, so pages can
 * use it without loading libsodium.
 */

const LONE_SURROGATE = /\p{Cs}/u

/** No lone surrogates: isWellFormed where the browser has it (2023 on), the same test by pattern elsewhere. */
export const wellFormed = (s: string): boolean => (s as { isWellFormed?: () => boolean }).isWellFormed?.() ?? !LONE_SURROGATE.test(s)

/** Text within a length (UTF-16 units, as maxLength and the server count). Controls and bidi marks are allowed: pages isolate them. */
export const plainText = (min: number, max: number) => z.string().check(z.minLength(min), z.maxLength(max), z.refine(wellFormed, 'not well-formed text'))
