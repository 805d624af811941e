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

// The same limits the server applies to the session (server/reviewers/sessions.server.ts): keys
// leave memory after 15 minutes without input, or 8 hours after unlocking however busy.
const IDLE_MS = 15 * 60 * 1000
const MAX_MS = 8 * 60 * 60 * 1000
const ACTIVITY = ['pointerdown', 'keydown', 'wheel', 'touchstart'] as const
let disarm: (() => void) | null = null
let onExpire: () => void = () => undefined

/** What the page does once the keys have expired (the review layout goes to sign-in). */
export function whenKeysExpire(fn: () => void): void {
  onExpire = fn
}

function armExpiry() {
  disarm?.()
  const expire = () => void lock().then(() => onExpire())
  let idle = window.setTimeout(expire, IDLE_MS)
  const absolute = window.setTimeout(expire, MAX_MS)
  const reset = () => {
    window.clearTimeout(idle)
    idle = window.setTimeout(expire, IDLE_MS)
  }
  for (const e of ACTIVITY) window.addEventListener(e, reset, { passive: true })
  disarm = () => {
    window.clearTimeout(idle)
    window.clearTimeout(absolute)
    for (const e of ACTIVITY) window.removeEventListener(e, reset)
    disarm = null
  }
}

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
  armExpiry()
  return unlocked
}

export const keyring = () => unlocked

export async function lock(): Promise<void> {
  disarm?.()
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
