import type { Answer } from '~/ui/wire'
import type { RotationDue } from '#server/reviewers/members.server'
import type { Translate } from '#common/i18n/translate'
import { callApi } from '~/ui/api.client'
import { loadCrypto } from '~/ui/crypto.client'
import { keyring, type UnlockedInbox } from './keyring.client'
import { said, sayWith } from '#common/i18n/message'

/** This tab's unlocked key versions of an inbox, oldest first; refuses when keys are locked. */
function versionsOf(inboxId: string, t: Translate): UnlockedInbox[] {
  const k = keyring()
  if (!k) throw new Error(t('members.keys.locked'))
  const versions = k.inboxes.get(inboxId)
  if (!versions?.length) throw new Error(t('members.keys.none'))
  return versions
}

/** The fingerprint both people read out: of a reviewer key (the newcomer's, and the approver's own). */
export async function fingerprintOf(boxPk: string): Promise<string> {
  const c = await loadCrypto()
  return c.fingerprint(c.fromB64(boxPk))
}

/**
 * Approval: every key version's I.sk and S.sk, sealed in this browser to the newcomer's R.pk.
 * Every version, so they can read reports filed before they joined.
 */
export async function approve(inboxId: string, reviewerId: string, boxPk: string, t: Translate) {
  const c = await loadCrypto()
  const to = c.fromB64(boxPk)
  const versions = versionsOf(inboxId, t)
  // Vouches, to the newcomer alone, for the identity sealed to them: their browser checks it
  // against this reviewer's key, whose fingerprint they heard read out (ADR 0032).
  const grant = c.makeGrant(inboxId, c.toB64(versions[0].identity.publicKey), keyring()!.reviewerKey, to)
  const wraps = versions.map((v) => ({
    keyVersion: v.keyVersion,
    boxSkWrap: c.sealSecretTo(v.encryption.privateKey, to),
    signSkWrap: c.sealSecretTo(v.identity.privateKey, to),
  }))
  return callApi<Answer<typeof import('~/routes/api.review.members.approve').action>>('/api/review/members/approve', {
    body: { inboxId, reviewerId, wraps, grant },
    cookies: true,
  })
}

/**
 * Rotation after a removal: a new encryption key pair, the next version, signed by the inbox
 * identity key this tab holds, and sealed to every remaining member. The removed reviewer never
 * gets a wrap, so reports sealed to this version are closed to them.
 */
export async function rotate(due: RotationDue, t: Translate): Promise<number> {
  const c = await loadCrypto()
  const versions = versionsOf(due.inboxId, t)
  const latest = versions[versions.length - 1]
  const keys = { identity: latest.identity, encryption: c.newBoxKeyPair(), keyVersion: due.keyVersion + 1 }
  const head = keyring()?.logHeads.get(due.inboxId)
  if (!head) throw new Error(t('members.keys.noLog'))
  const key = c.publishKey(keys)
  const log = c.logKey(keys, head)
  const wraps = due.members.map((m) => {
    const to = c.fromB64(m.boxPk)
    return { reviewerId: m.reviewerId, boxSkWrap: c.sealSecretTo(keys.encryption.privateKey, to), signSkWrap: c.sealSecretTo(keys.identity.privateKey, to) }
  })
  await callApi('/api/review/rotate', { body: { inboxId: due.inboxId, key, log, wraps }, cookies: true })
  // Keep the new version in this tab's keyring (the map keyring() returns is that memory), so
  // reports sealed to it open, and approvals can seal it, without another sign-in.
  keyring()?.inboxes.set(due.inboxId, [...versions, { ...latest, keyVersion: keys.keyVersion, encryption: keys.encryption }])
  keyring()?.logHeads.set(due.inboxId, c.headOf(log))
  return keys.keyVersion
}

/** Rotates each due inbox this tab holds keys for, one after another, reporting progress. */
export async function rotateAll(due: RotationDue[], progress: (message: string) => void, t: Translate) {
  for (const d of due) {
    if (!keyring()?.inboxes.has(d.inboxId)) continue
    progress(t('members.keys.rotating', { name: d.name }))
    try {
      const v = await rotate(d, t)
      progress(t('members.keys.rotated', { name: d.name, v }))
    } catch (err) {
      progress(t('members.keys.failed', { name: d.name, error: sayWith(t, said(err)) }))
    }
  }
}
