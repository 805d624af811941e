import type { KeyPair } from '../../crypto/index'
import { loadCrypto } from './crypto.client'

export type KeyringPayload = {
  reviewer: { id: string; displayName: string; role: 'admin' | 'reviewer'; boxPk: string }
  passkey: { id: string; unlock: 'prf' | 'passphrase'; keyWrap: string; passphraseSalt: string | null }
  inboxes: Array<{ id: string; name: string; description: string; keyVersion: number; boxPk: string; signPk: string; boxSkWrap: string; signSkWrap: string }>
}

export type UnlockedInbox = { id: string; name: string; keyVersion: number; encryption: KeyPair; identity: KeyPair }
type Unlocked = { reviewerId: string; reviewerKey: KeyPair; inboxes: Map<string, UnlockedInbox[]> }

// Page memory only: never localStorage, sessionStorage or IndexedDB. A reload means unlocking again.
let unlocked: Unlocked | null = null

/** Unwraps R.sk with the passkey's wrap key, then each inbox key sealed to R. */
export async function unlock(payload: KeyringPayload, wrapKey: Uint8Array): Promise<Unlocked> {
  const c = await loadCrypto()
  const reviewerSk = c.unwrapSecret(payload.passkey.keyWrap, wrapKey)
  c.wipe(wrapKey)
  const reviewerKey = { publicKey: c.fromB64(payload.reviewer.boxPk), privateKey: reviewerSk }
  const inboxes = new Map<string, UnlockedInbox[]>()
  for (const i of payload.inboxes) {
    const versions = inboxes.get(i.id) ?? []
    versions.push({
      id: i.id,
      name: i.name,
      keyVersion: i.keyVersion,
      encryption: { publicKey: c.fromB64(i.boxPk), privateKey: c.openSealedSecret(i.boxSkWrap, reviewerKey) },
      identity: { publicKey: c.fromB64(i.signPk), privateKey: c.openSealedSecret(i.signSkWrap, reviewerKey) },
    })
    inboxes.set(i.id, versions)
  }
  unlocked = { reviewerId: payload.reviewer.id, reviewerKey, inboxes }
  return unlocked
}

export const keyring = () => unlocked

export async function lock(): Promise<void> {
  if (!unlocked) return
  const c = await loadCrypto()
  c.wipe(unlocked.reviewerKey.privateKey)
  for (const versions of unlocked.inboxes.values())
    for (const v of versions) c.wipe(v.encryption.privateKey, v.identity.privateKey)
  unlocked = null
}

/** A new inbox made or adopted in this tab joins the unlocked keys without another sign-in. */
export function rememberInbox(inbox: UnlockedInbox): void {
  if (!unlocked) return
  const versions = (unlocked.inboxes.get(inbox.id) ?? []).filter((v) => v.keyVersion !== inbox.keyVersion)
  unlocked.inboxes.set(inbox.id, [...versions, inbox].sort((a, b) => a.keyVersion - b.keyVersion))
}
