import { ready } from '../../crypto/index'
import { solvePow, type PowChallenge, type PowProof } from '../../crypto/pow'

/** The routes that want a proof of work in their JSON body (decision 12). */
export const POW_PATHS = new Set(['/api/reports', '/api/reporter/challenge'])

/** Asks the server at `origin` for a challenge and solves it with the same crypto/ code the browser runs. */
export async function proofFor(origin: string): Promise<PowProof> {
  await ready()
  const res = await fetch(`${new URL(origin).origin}/api/pow`)
  if (res.status !== 200) throw new Error(`GET /api/pow: ${res.status} ${await res.text()}`)
  return solvePow((await res.json()) as PowChallenge)
}

/**
 * The body with a fresh solved `pow` added when `url` is one of POW_PATHS and the body is a plain
 * object without one; anything else unchanged, so tests of bad bodies still see their own errors.
 */
export async function withProof(url: string, body: unknown): Promise<unknown> {
  const target = new URL(url)
  if (!POW_PATHS.has(target.pathname)) return body
  if (typeof body !== 'object' || body === null || Array.isArray(body) || 'pow' in body) return body
  return { ...body, pow: await proofFor(url) }
}
