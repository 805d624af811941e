import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type RegistrationResponseJSON,
  type WebAuthnCredential,
} from '@simplewebauthn/server'
import { UserError } from '../errors.server'

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

export async function verifyRegistration(rp: RelyingParty, response: unknown, challenge: string) {
  let result
  try {
    result = await verifyRegistrationResponse({
      response: response as RegistrationResponseJSON,
      expectedChallenge: challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      requireUserVerification: true,
    })
  } catch (err) {
    throw new UserError(400, `The passkey could not be registered: ${(err as Error).message}`)
  }
  if (!result.verified) throw new UserError(400, 'The passkey could not be registered.')
  return result.registrationInfo.credential
}

export const authenticationOptions = (rp: RelyingParty) =>
  generateAuthenticationOptions({ rpID: rp.id, userVerification: 'required', allowCredentials: [] })

/** Checks the assertion, including that the signature counter never goes back. */
export async function verifyAuthentication(rp: RelyingParty, response: unknown, challenge: string, credential: WebAuthnCredential) {
  let result
  try {
    result = await verifyAuthenticationResponse({
      response: response as AuthenticationResponseJSON,
      expectedChallenge: challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      credential,
      requireUserVerification: true,
    })
  } catch (err) {
    throw new UserError(401, `The passkey could not be checked: ${(err as Error).message}`)
  }
  if (!result.verified) throw new UserError(401, 'The passkey could not be checked.')
  return result.authenticationInfo
}
