import type { PowChallenge, PowProof, PowPurpose } from '#crypto'
import { ApiError, callApi } from './api.client'

/** Nonces tried between yields: a few milliseconds of work, so the page stays responsive. */
const SLICE = 2048
/** Proofs tried per request: the price can rise while one is solved, but not without end (it has a cap). */
const TRIES = 4

/**
 * Asks for a challenge for `purpose` and solves it on this device for exactly `body`, the JSON
 * body it will go with (decisions 12 and 18). Runs on the main thread in slices rather than a
 * Worker: our CSP allows no worker source, and at idle this takes a blink. `onSlow` fires once if
 * solving takes longer than a moment, so the page can say why it waits.
 */
async function proveWork(purpose: PowPurpose, body: unknown, onSlow?: () => void): Promise<PowProof> {
  const { powBodyHash, solvePowSlice } = await import('#crypto')
  // Hash what the server will parse: the body as JSON.stringify sends it.
  const bodyHash = powBodyHash(JSON.parse(JSON.stringify(body)))
  const c = await callApi<PowChallenge>(`/api/pow?purpose=${purpose}`)
  const started = Date.now()
  let told = false
  for (let start = 0; ; start += SLICE) {
    const nonce = solvePowSlice(c, bodyHash, start, SLICE)
    if (nonce !== null) return { ...c, nonce }
    if (!told && onSlow && Date.now() - started > 300) {
      told = true
      onSlow()
    }
    await new Promise((resolve) => setTimeout(resolve, 0))
  }
}

/**
 * POSTs `body` to `path` with a proof of work added. When the server says the proof has to be
 * done again (the price rose while it was solved, it expired, or the server restarted), a new
 * challenge is fetched and solved without troubling the person, a few times at most.
 */
export async function sendWithProof<T>(path: string, purpose: PowPurpose, body: Record<string, unknown>, onSlow?: () => void): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const pow = await proveWork(purpose, body, onSlow)
    try {
      return await callApi<T>(path, { body: { ...body, pow } })
    } catch (err) {
      if (attempt < TRIES && err instanceof ApiError && err.retry === 'pow') continue
      throw err
    }
  }
}
