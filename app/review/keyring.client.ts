import type { KeyPair, KeyProblem, LogHead } from '#crypto'
import type { Keyring } from '#server/reviewers/reviewers.server'
import { callApi } from '~/ui/api.client'
import { loadCrypto } from '~/ui/crypto.client'

export type KeyringPayload = Keyring

export type UnlockedInbox = { id: string; name: string; keyVersion: number; encryption: KeyPair; identity: KeyPair }
/**
 * An inbox whose keys this tab will not use: a check failed (crypto/inbox-keys.ts), the identity
 * was not the one this browser just made, or the server holds a pin for another identity.
 */
export type RefusedInbox = {
  id: string
  name: string
  problem: KeyProblem | 'not-made-here' | 'pin-conflict' | 'grant' | 'grant-rejected'
  keyVersion?: number
}
/**
 * An inbox seen here for the first time whose keys and grant verify, held back until this
 * reviewer confirms the approver's fingerprint is the one they heard (ADR 0032).
 */
export type AwaitingInbox = { id: string; name: string; by: { name: string; fingerprint: string }; versions: UnlockedInbox[]; logHead: LogHead | null }
type Unlocked = {
  reviewerId: string
  reviewerKey: KeyPair
  inboxes: Map<string, UnlockedInbox[]>
  /** Each usable inbox's key log head as this tab traced it: where its next key version is logged. */
  logHeads: Map<string, LogHead>
  refused: RefusedInbox[]
  awaiting: AwaitingInbox[]
}

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

/**
 * Unwraps R.sk with the passkey's wrap key, then each inbox's keys, and uses an inbox only if
 * every version passes checkInboxKeys (ADR 0021). An inbox seen for the first time waits for
 * the reviewer to check who approved them (ADR 0032), then is pinned. `madeHere` lists identity
 * keys this browser itself made moments ago (first-run setup): an unpinned inbox is then trusted
 * only if its identity is one of them.
 */
export async function unlock(payload: KeyringPayload, wrapKey: Uint8Array, madeHere?: string[]): Promise<Unlocked> {
  const c = await loadCrypto()
  const reviewerSk = c.unwrapSecret(payload.passkey.keyWrap, wrapKey)
  c.wipe(wrapKey)
  const reviewerKey = { publicKey: c.fromB64(payload.reviewer.boxPk), privateKey: reviewerSk }
  const listed = new Map<string, KeyringPayload['inboxes']>()
  for (const v of payload.inboxes) listed.set(v.id, [...(listed.get(v.id) ?? []), v])
  const inboxes = new Map<string, UnlockedInbox[]>()
  const refused: RefusedInbox[] = []
  const awaiting: AwaitingInbox[] = []
  const firstSight: Array<{ id: string; signPk: string }> = []
  const logHeads = new Map<string, LogHead>()
  const unlogged: string[] = []
  for (const [id, versions] of listed) {
    const name = versions[0].name
    const log = Object.hasOwn(payload.logs, id) ? payload.logs[id] : []
    const checked = c.checkInboxKeys(id, versions, reviewerKey, Object.hasOwn(payload.pins, id) ? payload.pins[id] : null, log)
    if (!checked.ok) {
      refused.push({ id, name, problem: checked.problem, ...(checked.keyVersion ? { keyVersion: checked.keyVersion } : {}) })
      continue
    }
    const signPk = c.toB64(checked.identity.publicKey)
    const refuse = (problem: RefusedInbox['problem']) => {
      c.wipe(checked.identity.privateKey, ...checked.versions.map((v) => v.encryption.privateKey))
      refused.push({ id, name, problem })
    }
    if (!checked.pinned && madeHere && !madeHere.includes(signPk)) {
      refuse('not-made-here')
      continue
    }
    const usable = checked.versions.map((v) => ({ id, name, keyVersion: v.keyVersion, encryption: v.encryption, identity: checked.identity }))
    if (!checked.pinned && !madeHere) {
      // First sight of an inbox someone let this reviewer into: only a grant from the approver's
      // own key vouches for it, and only the person can say that key is the approver's.
      const grant = Object.hasOwn(payload.grants, id) ? payload.grants[id] : null
      if (!grant || !c.checkGrant(grant.grant, id, signPk, grant.by.boxPk, reviewerKey)) {
        refuse('grant')
        continue
      }
      awaiting.push({
        id,
        name,
        by: { name: grant.by.name, fingerprint: c.fingerprint(c.fromB64(grant.by.boxPk)) },
        versions: usable,
        logHead: checked.logHead,
      })
      continue
    }
    inboxes.set(id, usable)
    if (!checked.pinned) firstSight.push({ id, signPk })
    if (checked.logHead) logHeads.set(id, checked.logHead)
    else unlogged.push(id)
  }
  unlocked = { reviewerId: payload.reviewer.id, reviewerKey, inboxes, logHeads, refused, awaiting }
  await Promise.all(firstSight.map((i) => pinHere(i.id, i.signPk)))
  await Promise.all(unlogged.filter((id) => inboxes.has(id)).map((id) => logHere(id)))
  armExpiry()
  changed()
  return unlocked
}

/**
 * Stores this reviewer's pin of an inbox identity the tab has checked, made or imported. A
 * server that already holds a different pin for it withheld that pin from the keyring: the
 * inbox is refused. A pin that cannot be sent now is made again on the next unlock.
 */
export async function pinHere(inboxId: string, signPk: string): Promise<void> {
  const k = unlocked
  if (!k) return
  const c = await loadCrypto()
  try {
    await callApi('/api/review/pins', { body: { inboxId, signPk, pin: c.pinInbox(k.reviewerKey.privateKey, inboxId, signPk) }, cookies: true })
  } catch (err) {
    if ((err as { status?: number }).status !== 409) return
    const versions = k.inboxes.get(inboxId) ?? []
    for (const v of versions) c.wipe(v.encryption.privateKey)
    if (versions[0]) c.wipe(versions[0].identity.privateKey)
    k.inboxes.delete(inboxId)
    k.refused.push({ id: inboxId, name: versions[0]?.name ?? inboxId, problem: 'pin-conflict' })
    changed()
  }
}

/**
 * Logs an inbox made before the key log, from the versions this tab has just checked: until it
 * is logged, no reporter's browser will seal to it. Another member's browser may log it first
 * (409); the next unlock then traces their log like any other.
 */
export async function logHere(inboxId: string): Promise<void> {
  const k = unlocked
  const versions = k?.inboxes.get(inboxId)
  if (!k || !versions?.length) return
  const c = await loadCrypto()
  let entries = c.logKey(versions[0])
  for (const v of versions.slice(1)) entries = [...entries, ...c.logKey(v, c.headOf(entries))]
  try {
    await callApi('/api/review/key-log', { body: { inboxId, entries }, cookies: true })
    k.logHeads.set(inboxId, c.headOf(entries))
  } catch {
    // Tried again on the next unlock; nothing is sealed to this inbox by reporters meanwhile.
  }
}

/**
 * The reviewer heard the approver read out this fingerprint: the inbox joins the keyring and is
 * pinned, so it is never asked about again.
 */
export async function confirmGrant(inboxId: string): Promise<void> {
  const k = unlocked
  const a = k?.awaiting.find((x) => x.id === inboxId)
  if (!k || !a) return
  k.awaiting = k.awaiting.filter((x) => x !== a)
  k.inboxes.set(inboxId, a.versions)
  if (a.logHead) k.logHeads.set(inboxId, a.logHead)
  changed()
  const c = await loadCrypto()
  await pinHere(inboxId, c.toB64(a.versions[0].identity.publicKey))
  if (!a.logHead) await logHere(inboxId)
}

/** The fingerprint was not the one the reviewer heard: the keys are wiped and the inbox refused. */
export async function rejectGrant(inboxId: string): Promise<void> {
  const k = unlocked
  const a = k?.awaiting.find((x) => x.id === inboxId)
  if (!k || !a) return
  const c = await loadCrypto()
  wipeVersions(c, a.versions)
  k.awaiting = k.awaiting.filter((x) => x !== a)
  k.refused.push({ id: a.id, name: a.name, problem: 'grant-rejected' })
  changed()
}

function wipeVersions(c: Awaited<ReturnType<typeof loadCrypto>>, versions: UnlockedInbox[]) {
  for (const v of versions) c.wipe(v.encryption.privateKey, v.identity.privateKey)
}

export const keyring = () => unlocked

/** Inboxes held back until this reviewer checks who approved them. */
export const awaitingInboxes = (): AwaitingInbox[] => unlocked?.awaiting ?? []

/** Inboxes whose keys this tab refused, for the warning on every reviewer page. */
export const refusedInboxes = (): RefusedInbox[] => unlocked?.refused ?? []

const watchers = new Set<() => void>()
const changed = () => watchers.forEach((fn) => fn())

/** Calls `fn` whenever keys are unlocked, locked, or an inbox is added or refused. */
export function watchKeyring(fn: () => void): () => void {
  watchers.add(fn)
  return () => void watchers.delete(fn)
}

export async function lock(): Promise<void> {
  disarm?.()
  if (!unlocked) return
  const c = await loadCrypto()
  c.wipe(unlocked.reviewerKey.privateKey)
  for (const versions of unlocked.inboxes.values()) wipeVersions(c, versions)
  for (const a of unlocked.awaiting) wipeVersions(c, a.versions)
  unlocked = null
  changed()
}

/** A new inbox made or adopted in this tab joins the unlocked keys without another sign-in. */
export function rememberInbox(inbox: UnlockedInbox, logHead?: LogHead): void {
  if (!unlocked) return
  if (logHead) unlocked.logHeads.set(inbox.id, logHead)
  const versions = (unlocked.inboxes.get(inbox.id) ?? []).filter((v) => v.keyVersion !== inbox.keyVersion)
  unlocked.inboxes.set(
    inbox.id,
    [...versions, inbox].sort((a, b) => a.keyVersion - b.keyVersion),
  )
  changed()
}
