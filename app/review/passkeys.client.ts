import { startAuthentication, startRegistration } from '@simplewebauthn/browser'
import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/browser'

/**
 * One fixed, labelled PRF salt (ADR 0006): a usernameless sign-in cannot name per-credential
 * salts, and each credential's own PRF secret already makes the output unique to it.
 */
const PRF_SALT = new TextEncoder().encode('candour-prf-salt-v1:reviewer-key-wrap'.padEnd(32, '.')).slice(0, 32)

type PrfResults = { prf?: { enabled?: boolean; results?: { first?: ArrayBuffer | Uint8Array } } }

function takePrf(response: { clientExtensionResults: unknown }): { enabled: boolean; output: Uint8Array | null } {
  const ext = response.clientExtensionResults as PrfResults
  const first = ext.prf?.results?.first
  // The PRF output is a key: it must never travel to the server with the rest of the response.
  response.clientExtensionResults = ext.prf?.enabled === undefined ? {} : { prf: { enabled: ext.prf.enabled } }
  return { enabled: Boolean(ext.prf?.enabled || first), output: first ? new Uint8Array(first as ArrayBuffer) : null }
}

const withPrf = <T extends object>(options: T): T => ({ ...options, extensions: { prf: { eval: { first: PRF_SALT } } } }) as T

/** Creates a discoverable passkey and, where the authenticator allows, its PRF output. */
export async function createPasskey(options: PublicKeyCredentialCreationOptionsJSON) {
  const registration = await startRegistration({ optionsJSON: withPrf(options) })
  const prf = takePrf(registration)
  // Some authenticators only evaluate the PRF on assertion: ask once more, locally.
  const output = prf.output ?? (prf.enabled ? await prfFor(registration.id, options.rp.id) : null)
  return { registration, prf: output }
}

/** One touch: the assertion for the server, and the PRF output that stays here. */
export async function getPasskey(options: PublicKeyCredentialRequestOptionsJSON) {
  const assertion = await startAuthentication({ optionsJSON: withPrf(options) })
  return { assertion, prf: takePrf(assertion).output }
}

async function prfFor(credentialId: string, rpId: string | undefined): Promise<Uint8Array | null> {
  const challenge = crypto.getRandomValues(new Uint8Array(32))
  const { assertion, prf } = await getPasskey({
    challenge: btoa(String.fromCharCode(...challenge))
      .replace(/\+/g, '-')
      .replace(/\//g, '_')
      .replace(/=+$/, ''),
    rpId,
    allowCredentials: [{ id: credentialId, type: 'public-key' }],
    userVerification: 'required',
  })
  void assertion // answers a challenge we made up: never sent, only the PRF output is used
  return prf
}
