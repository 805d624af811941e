import { ready } from '../../crypto/index'
import { solvePow, type PowChallenge, type PowProof, type PowPurpose } from '../../crypto/pow'

/** The routes that want a proof of work in their JSON body, and the purpose each takes (decisions 12, 18). */
export const POW_PATHS = new Map<string, PowPurpose>([
  ['/api/reports', 'report'],
  ['/api/reporter/challenge', 'sign-in'],
  ['/api/files', 'upload'],
])

/** A challenge for `purpose` from the server at `origin`, unsolved. */
export async function challengeFor(origin: string, purpose: PowPurpose): Promise<PowChallenge> {
  const res = await fetch(`${new URL(origin).origin}/api/pow?purpose=${purpose}`)
  if (res.status !== 200) throw new Error(`GET /api/pow: ${res.status} ${await res.text()}`)
  return (await res.json()) as PowChallenge
}

/**
 * A challenge for `purpose` solved for `body` (the body it goes with, without `pow`), with the
 * same crypto/ code the browser runs.
 */
export async function proofFor(origin: string, purpose: PowPurpose, body: unknown): Promise<PowProof> {
  await ready()
  return solvePow(await challengeFor(origin, purpose), body)
}

/**
 * The body with a fresh solved `pow` added when `url` is one of POW_PATHS and the body is a plain
 * object without one; anything else unchanged, so tests of bad bodies still see their own errors.
 */
export async function withProof(url: string, body: unknown): Promise<unknown> {
  const purpose = POW_PATHS.get(new URL(url).pathname)
  if (!purpose) return body
  if (typeof body !== 'object' || body === null || Array.isArray(body) || 'pow' in body) return body
  return { ...body, pow: await proofFor(url, purpose, body) }
}
