import * as z from 'zod/mini'
import { fromB64, fromUtf8, utf8 } from './encoding'
import { verify, type Purpose } from './signing'
import { plainText as text } from './text'

/**
 * What a decrypted value must be before anything reads it (ADR 0019). A sealed message proves
 * who wrote it, not that its writer kept to the format: a report sealed with the right keys can
 * still carry a missing field, a number where text belongs, a 100,000-item array or a lone
 * surrogate. Every open verb passes its plaintext through one of these strict schemas and hands
 * back the checked value, or throws UnreadableError; nothing half-checked reaches a caller.
 *
 * zod/mini, not zod: the browser loads this with libsodium, mini is a fraction of the size, and
 * its objects never probe `new Function` (which a strict CSP reports as a violation).
 */

/**
 * Format bounds: the most any well-formed payload of this format holds. They sit above the
 * app's own limits (common/limits.ts: 10,000 characters a message, FILES_PER_MESSAGE at most 50,
 * file names of 120 characters), which are checked where the app reads the value; these only
 * keep a value the app has never written from being handed on at all.
 */
export const PAYLOAD_BOUNDS = {
  /** characters in one text: a message's words, or one answer */
  textChars: 20_000,
  /** a reviewer's name or pseudonym */
  nameChars: 200,
  filesPerMessage: 50,
  /** UTF-16 units: safeFileName keeps 120 characters, and one character can take two */
  fileNameChars: 240,
  fileTypeChars: 100,
  /** fields in a report's answers, and items in one list-valued answer */
  answerFields: 16,
  answerItems: 32,
} as const

/** A value that decrypted, but is not a well-formed payload. Shown as "could not be read". */
export class UnreadableError extends Error {
  constructor() {
    super('This message could not be read.')
    this.name = 'UnreadableError'
  }
}

const decodesTo = (n: number) => (s: string) => {
  try {
    return fromB64(s).length === n
  } catch {
    return false
  }
}
/** n bytes of canonical unpadded base64url. */
export const bytes = (n: number) => z.string().check(z.length(Math.ceil((n * 4) / 3)), z.regex(/^[A-Za-z0-9_-]*$/), z.refine(decodesTo(n)))

// Characters safeFileName always removes (controls, invisible and direction marks) and path separators.
const UNSAFE_NAME = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff/\\]/u

/** A file a message names: every field as app/ui/uploads.client.ts or server/plaintext/uploads.server.ts writes it. */
export const fileRefSchema = z.strictObject({
  id: z.string().check(z.regex(/^[A-Za-z0-9_-]{22}$/)),
  name: text(1, PAYLOAD_BOUNDS.fileNameChars).check(z.refine((n) => !UNSAFE_NAME.test(n), 'not a safe file name')),
  // The sniffed type: always a lower-case type/subtype, never what a browser claimed.
  type: z.string().check(z.maxLength(PAYLOAD_BOUNDS.fileTypeChars), z.regex(/^[a-z0-9][a-z0-9.+-]*\/[a-z0-9][a-z0-9.+-]*$/)),
  size: z.int().check(z.minimum(0)),
  key: bytes(32),
})

// Writers leave the field out when there are no files; ids are unique, as every list keys on them.
const fileList = z.optional(
  z.array(fileRefSchema).check(
    z.minLength(1),
    z.maxLength(PAYLOAD_BOUNDS.filesPerMessage),
    z.refine((fs) => new Set(fs.map((f) => f.id)).size === fs.length, 'a file named twice'),
  ),
)

/**
 * The report's answers as the format knows them: a flat map of short identifiers to text or
 * lists of text. Which fields, categories and lengths is the app's business (readAnswers in
 * common/report-fields.ts); the format only rules out nesting, other types and unbounded size.
 */
// A record drops a "__proto__" key rather than refusing it; a value that has one is refused here.
const noProtoKey = z.unknown().check(z.refine((v) => typeof v !== 'object' || v === null || !Object.hasOwn(v, '__proto__'), 'a field named __proto__'))
export const answersFormatSchema = z.pipe(
  noProtoKey,
  z
    .record(
      z.string().check(z.regex(/^[A-Za-z][A-Za-z0-9]{0,39}$/)),
      z.union([text(0, PAYLOAD_BOUNDS.textChars), z.array(text(0, PAYLOAD_BOUNDS.textChars)).check(z.maxLength(PAYLOAD_BOUNDS.answerItems))]),
    )
    .check(z.refine((a) => Object.keys(a).length <= PAYLOAD_BOUNDS.answerFields, 'too many answers')),
)

export type SealedAnswers = z.infer<typeof answersFormatSchema>

/**
 * A report id as the server stores it. A v2 report's is 16 random bytes its browser chose and
 * signed (crypto/chain.ts); a v1 report, which signed none, is placed by the id it is served under.
 */
export const reportIdFormat = z.string().check(z.regex(/^[A-Za-z0-9_-]{16,64}$/))

/**
 * Where a v2 message sits in its thread (crypto/chain.ts): its report, its place (the report is
 * 0) and the link of the message before it. v1 messages carry none and stay readable.
 */
export const chainSchema = z.strictObject({
  report: reportIdFormat,
  n: z.int().check(z.minimum(1), z.maximum(0xffffffff)),
  prev: bytes(32),
})

// Which statuses and outcomes exist is the app's (common/triage-rules.ts); the format bounds the word.
const caseWord = z.string().check(z.regex(/^[a-z][a-z-]{0,31}$/))
/** The case as a reviewer left it: what the reporter is shown as its status, signed. */
export const caseStateSchema = z.strictObject({ status: caseWord, outcome: z.optional(caseWord) })
export type CaseState = z.infer<typeof caseStateSchema>

export const reportPayload = z.strictObject({
  type: z.literal('report'),
  answers: answersFormatSchema,
  reporter: z.strictObject({ signPk: bytes(32), boxPk: bytes(32) }),
  files: fileList,
  // The report's own id, so the thread's root names the thread (v2).
  chain: z.optional(z.strictObject({ report: reportIdFormat })),
})

export const followupPayload = z.strictObject({
  type: z.literal('followup'),
  // Empty when files went on their own.
  text: text(0, PAYLOAD_BOUNDS.textChars),
  files: fileList,
  chain: z.optional(chainSchema),
})

export const replyPayload = z.strictObject({
  type: z.literal('reply'),
  text: text(1, PAYLOAD_BOUNDS.textChars),
  reviewer: text(1, PAYLOAD_BOUNDS.nameChars),
  files: fileList,
  chain: z.optional(chainSchema),
  // The case as it stands once this reply is sent (v2).
  state: z.optional(caseStateSchema),
})

/** A reviewer's change of status, for the reporter to see as signed (v2: always chained). */
export const statePayload = z.strictObject({
  type: z.literal('state'),
  reviewer: text(1, PAYLOAD_BOUNDS.nameChars),
  chain: chainSchema,
  state: caseStateSchema,
})

/** Follow-ups, replies and states share a signature wrapper; the type inside says which one to check. */
export const messagePayload = z.discriminatedUnion('type', [followupPayload, replyPayload, statePayload])

export const notePayload = z.strictObject({
  type: z.literal('note'),
  text: text(1, PAYLOAD_BOUNDS.textChars),
  by: text(1, PAYLOAD_BOUNDS.nameChars),
})

export const selfNotePayload = z.strictObject({
  // An id; the server's are 8 to 32 characters.
  inboxId: z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/)),
  inboxSignPk: bytes(32),
  keyVersion: z.int().check(z.minimum(1), z.maximum(0xffffffff)),
  // What this reporter's browser last verified, so a later visit notices a server that rolls back
  // or forks: the key log's head, and the thread's newest message.
  logHead: z.optional(bytes(32)),
  threadHead: z.optional(z.strictObject({ seq: z.int().check(z.minimum(0), z.maximum(0xffffffff)), hash: bytes(32) })),
})

/** The checked value, or UnreadableError: the one gate between a plaintext and its reader. */
export function checked<T>(schema: z.ZodMiniType<T>, value: unknown): T {
  const r = schema.safeParse(value)
  if (!r.success) throw new UnreadableError()
  return r.data
}

/** JSON from plaintext bytes: invalid UTF-8 or anything that is not JSON is unreadable, not an exception of its own. */
export function parseJson(plain: Uint8Array): unknown {
  try {
    return JSON.parse(fromUtf8(plain))
  } catch {
    throw new UnreadableError()
  }
}

/** signJson's wrapper (signing.ts): the signed JSON text and an Ed25519 signature, nothing else. */
const signedWrapper = z.strictObject({ m: z.string(), s: bytes(64) })

/**
 * A signed plaintext, checked against `schema`. Who signed it is left to the caller, who knows
 * which key (base64url) and purpose to expect.
 */
export function readSigned<T>(plain: Uint8Array, schema: z.ZodMiniType<T>): { value: T; signedBy: (purpose: Purpose, signPk: string) => boolean } {
  const { m, s } = checked(signedWrapper, parseJson(plain))
  let inner: unknown
  try {
    inner = JSON.parse(m)
  } catch {
    throw new UnreadableError()
  }
  const value = checked(schema, inner)
  const sig = fromB64(s)
  // A trusted key the caller does not have (say, '' when the report did not verify) verifies nothing.
  return { value, signedBy: (purpose, signPk) => decodesTo(32)(signPk) && verify(purpose, utf8(m), sig, fromB64(signPk)) }
}

/** For the seal verbs: what is about to be sealed must be something the open verbs accept. */
export function writable<T>(schema: z.ZodMiniType<T>, value: T, what: string): T {
  if (!schema.safeParse(value).success) throw new Error(`This ${what} cannot be sealed: it is too long, or holds something that is not plain text.`)
  return value
}
