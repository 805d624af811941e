import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type RegistrationResponseJSON,
  type WebAuthnCredential,
} from '@simplewebauthn/server'
import { UserError } from '#common/errors'

/** Where passkeys are bound: the RP ID is the host name of the public address, never an IP. */
export type RelyingParty = { name: string; id: string; origin: string }

export const relyingParty = (publicUrl: URL): RelyingParty => ({
  name: 'Candour',
  id: publicUrl.hostname,
  origin: publicUrl.origin,
})

export function registrationOptions(rp: RelyingParty, user: { handle: Uint8Array; name: string }, exclude: string[] = []) {
  return generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.id,
    userID: new Uint8Array(user.handle),
    userName: user.name,
    userDisplayName: user.name,
    attestationType: 'none',
    excludeCredentials: exclude.map((id) => ({ id })),
    authenticatorSelection: { residentKey: 'required', requireResidentKey: true, userVerification: 'required' },
  })
}

const REFUSALS = {
  registered: { status: 400, failed: 'errors.passkeys.notRegistered', because: 'errors.passkeys.notRegisteredBecause' },
  checked: { status: 401, failed: 'errors.passkeys.notChecked', because: 'errors.passkeys.notCheckedBecause' },
} as const

/**
 * SimpleWebAuthn throws for a malformed or mismatched response and answers `verified: false`
 * for a bad signature; either way the reviewer gets one clear 4xx, never a 500.
 */
async function refuseUnless<T extends { verified: boolean }>(what: keyof typeof REFUSALS, check: () => Promise<T>): Promise<T> {
  const { status, failed, because } = REFUSALS[what]
  let result: T
  try {
    result = await check()
  } catch (err) {
    // The library's own words say what was wrong with the response; they quote no secret.
    throw new UserError(status, because, { values: { detail: (err as Error).message } })
  }
  if (!result.verified) throw new UserError(status, failed)
  return result
}

export async function verifyRegistration(rp: RelyingParty, response: unknown, challenge: string) {
  const result = await refuseUnless('registered', () =>
    verifyRegistrationResponse({
      response: response as RegistrationResponseJSON,
      expectedChallenge: challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      requireUserVerification: true,
    }),
  )
  return result.registrationInfo!.credential
}

export const authenticationOptions = (rp: RelyingParty) => generateAuthenticationOptions({ rpID: rp.id, userVerification: 'required', allowCredentials: [] })

/** Checks the assertion, including that the signature counter never goes back. */
export async function verifyAuthentication(rp: RelyingParty, response: unknown, challenge: string, credential: WebAuthnCredential) {
  const result = await refuseUnless('checked', () =>
    verifyAuthenticationResponse({
      response: response as AuthenticationResponseJSON,
      expectedChallenge: challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      credential,
      requireUserVerification: true,
    }),
  )
  return result.authenticationInfo
}
