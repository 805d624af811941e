import type { PowChallenge, PowProof } from '../../crypto/pow'
import { callApi } from './api.client'

/** Nonces tried between yields: a few milliseconds of work, so the page stays responsive. */
const SLICE = 2048

/**
 * Asks for a challenge and solves it on this device (decision 12). Runs on the main thread in
 * slices rather than a Worker: our CSP allows no worker source, and at idle this takes a blink.
 * `onSlow` fires once if solving takes longer than a moment, so the page can say why it waits.
 */
export async function proveWork(onSlow?: () => void): Promise<PowProof> {
  const { solvePowSlice } = await import('../../crypto/pow')
  const c = await callApi<PowChallenge>('/api/pow')
  const started = Date.now()
  let told = false
  for (let start = 0; ; start += SLICE) {
    const nonce = solvePowSlice(c, start, SLICE)
    if (nonce !== null) return { ...c, nonce }
    if (!told && onSlow && Date.now() - started > 300) {
      told = true
      onSlow()
    }
    await new Promise((resolve) => setTimeout(resolve, 0))
  }
}
