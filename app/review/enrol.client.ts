import { loadCrypto } from '~/ui/crypto.client'

export type Unlock = { kind: 'prf'; prf: Uint8Array } | { kind: 'passphrase'; passphrase: string }

/**
 * The reviewer key R every enrolment makes (first admin or invitee): wrapped by the passkey (or
 * passphrase) and by a recovery code. R.sk leaves only inside those wraps; R.pk is returned so a
 * caller can seal inbox keys to it.
 */
export async function prepareReviewer(unlockWith: Unlock) {
  const c = await loadCrypto()
  const reviewerKey = c.newBoxKeyPair()
  const salt = unlockWith.kind === 'passphrase' ? c.randomBytes(c.PASSPHRASE_SALT_BYTES) : null
  const wrapKey = unlockWith.kind === 'prf' ? c.wrapKeyFromPrf(unlockWith.prf) : await c.wrapKeyFromPassphrase(unlockWith.passphrase, salt!)
  const { code, ...recovery } = await newRecoveryKey(reviewerKey.privateKey)
  const reviewer = {
    boxPk: c.toB64(reviewerKey.publicKey),
    keyWrap: c.wrapSecret(reviewerKey.privateKey, wrapKey),
    ...recovery,
    unlock: unlockWith.kind,
    ...(salt ? { passphraseSalt: c.toB64(salt) } : {}),
  }
  c.wipe(reviewerKey.privateKey)
  return { reviewer, publicKey: reviewerKey.publicKey, recoveryCode: code, wrapKey }
}

/** A recovery key for R.sk: the code to show once, the wrap it opens, and the id that finds it. */
export async function newRecoveryKey(reviewerSk: Uint8Array) {
  const c = await loadCrypto()
  const code = c.newRecoveryCode()
  return {
    code: c.formatCode(code),
    recoveryWrap: c.wrapSecret(reviewerSk, c.wrapKeyFromRecovery(code)),
    recoveryLookup: c.recoveryLookupId(code),
  }
}

/**
 * Everything the first admin's browser makes: the reviewer key (prepareReviewer) and the first
 * inbox's keys sealed to R. Nothing secret leaves this function except inside a wrap.
 */
export async function prepareFirstAdmin(unlockWith: Unlock, inbox: { name: string; description: string }) {
  const c = await loadCrypto()
  const { reviewer, publicKey, recoveryCode, wrapKey } = await prepareReviewer(unlockWith)
  const inboxKeys = c.newInboxKeys(1)
  const key = c.publishKey(inboxKeys)
  const newInbox = {
    name: inbox.name,
    description: inbox.description,
    key,
    log: c.logKey(inboxKeys),
    boxSkWrap: c.sealSecretTo(inboxKeys.encryption.privateKey, publicKey),
    signSkWrap: c.sealSecretTo(inboxKeys.identity.privateKey, publicKey),
  }
  c.wipe(inboxKeys.encryption.privateKey, inboxKeys.identity.privateKey)
  return { reviewer, inbox: newInbox, recoveryCode, wrapKey }
}
