import { z } from 'zod'
import { b64Length, INBOX_WRAP_BYTES, isBucketSize, NONCE_BYTES, POW_PURPOSES, REPORTER_WRAP_BYTES, SELF_NOTE_SEALED_BYTES, TAG_BYTES } from '#crypto'
import { UserError, type ErrorKey } from './errors'
import { LIMITS } from './limits'

/** Opaque values on the wire: the server checks their shape and size, never their content. */
export const bytes = (n: number, what: string) =>
  z.string().refine((s) => b64Length(s) === n && s.length === Math.ceil((n * 4) / 3), {
    message: `${what} must be ${n} bytes of base64url`,
  })

const sealedBody = z
  .string()
  .max(Math.ceil(((LIMITS.messageBucketBytes + NONCE_BYTES + TAG_BYTES) * 4) / 3), 'sealed message is too large')
  .refine((s) => isBucketSize(b64Length(s) - NONCE_BYTES - TAG_BYTES), {
    message: 'sealed message is not a padded size bucket',
  })

export const envelopeSchema = z.strictObject({
  v: z.literal(1),
  body: sealedBody,
  inbox: bytes(INBOX_WRAP_BYTES, 'inbox wrap'),
  reporter: bytes(REPORTER_WRAP_BYTES, 'reporter wrap'),
})

export const inboxIdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,32}$/, 'unknown inbox')

/** Finished uploads a message names, each with the capability its uploader was given. */
export const attachmentsSchema = z
  .array(z.strictObject({ id: z.string().regex(/^[A-Za-z0-9_-]{22}$/, 'unknown file'), token: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'unknown upload') }))
  .max(50)
  .optional()

/** The link of the newest message a new one follows (crypto/chain.ts), so a stale writer is refused. */
export const threadHeadSchema = bytes(32, 'thread head')

export const sealedReportSchema = z.strictObject({
  // Chosen by the sealing browser, which signs it inside the report.
  reportId: bytes(16, 'report id'),
  inboxId: inboxIdSchema,
  keyVersion: z.number().int().min(1).max(1_000_000),
  envelope: envelopeSchema,
  locator: bytes(32, 'locator'),
  signPk: bytes(32, 'signing key'),
  boxPk: bytes(32, 'box key'),
  selfNote: bytes(SELF_NOTE_SEALED_BYTES, 'self-note'),
  files: attachmentsSchema,
})

/** The reporter's browser replaces its self-note when it has verified something newer. */
export const selfNoteRequestSchema = z.strictObject({ selfNote: bytes(SELF_NOTE_SEALED_BYTES, 'self-note') })

export const challengeRequestSchema = z.strictObject({ locator: bytes(32, 'locator') })

export const loginRequestSchema = z.strictObject({
  challengeId: bytes(16, 'challenge id'),
  signature: bytes(64, 'signature'),
})

export const followupRequestSchema = z.strictObject({
  keyVersion: z.number().int().min(1).max(1_000_000),
  envelope: envelopeSchema,
  files: attachmentsSchema,
  // Left out only by a writer from before chained threads.
  prev: threadHeadSchema.optional(),
})

/** One readable line for a 400: the first problem zod found. */
export function firstProblem(error: z.ZodError): string {
  const issue = error.issues[0]
  if (!issue) return 'The request was not understood.'
  const where = issue.path.length ? `${issue.path.join('.')}: ` : ''
  return `${where}${issue.message}`
}

/** The proof of work the JS submit, sign-in and upload bodies carry as `pow` (decisions 12, 18). */
export const powProofSchema = z.strictObject({
  purpose: z.enum(POW_PURPOSES),
  window: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  seq: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  challenge: bytes(16, 'challenge'),
  difficulty: z.number().int().min(0).max(32),
  expires: z.number().int().min(0),
  mac: bytes(32, 'mac'),
  nonce: z.number().int().min(0).max(0xffffffff),
})

export type PowProofWire = z.infer<typeof powProofSchema>

/**
 * Takes `pow` off a JSON body so the route's own strict schema sees exactly what it did before.
 * A missing or malformed proof is a 400 that says so; the rest is not looked at here.
 */
export function splitProof(raw: unknown): { ok: true; proof: PowProofWire; rest: unknown } | { ok: false; error: UserError } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || !('pow' in raw)) return { ok: false, error: new UserError(400, 'errors.pow.missing') }
  const { pow, ...rest } = raw as Record<string, unknown>
  const parsed = powProofSchema.safeParse(pow)
  if (!parsed.success) return { ok: false, error: new UserError(400, 'errors.request.problem', { values: { problem: `pow.${firstProblem(parsed.error)}` } }) }
  return { ok: true, proof: parsed.data, rest }
}

/** Every route's input check: the parsed value, or a 400 naming the first problem. */
export function parseInput<T>(schema: z.ZodType<T>, raw: unknown): T {
  const parsed = schema.safeParse(raw)
  if (parsed.success) return parsed.data
  // A schema's own words for a mistake a person can make are a catalogue key, said in their language.
  const own = parsed.error.issues[0]?.message
  if (own && /^errors\.[\w.]+$/.test(own)) throw new UserError(400, own as ErrorKey)
  throw new UserError(400, 'errors.request.problem', { values: { problem: firstProblem(parsed.error) } })
}
