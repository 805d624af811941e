import { loadCrypto } from './crypto.client'

export type Unlock = { kind: 'prf'; prf: Uint8Array } | { kind: 'passphrase'; passphrase: string }

/**
 * Everything the first admin's browser makes: the reviewer key R wrapped by the passkey (or
 * passphrase) and by a recovery code, and the first inbox's keys sealed to R. Nothing secret
 * leaves this function except inside a wrap.
 */
export async function prepareFirstAdmin(unlockWith: Unlock, inbox: { name: string; description: string }) {
  const c = await loadCrypto()
  const reviewerKey = c.newBoxKeyPair()
  const salt = unlockWith.kind === 'passphrase' ? c.sodiumRandom(c.PASSPHRASE_SALT_BYTES) : null
  const wrapKey =
    unlockWith.kind === 'prf' ? c.wrapKeyFromPrf(unlockWith.prf) : await c.wrapKeyFromPassphrase(unlockWith.passphrase, salt!)
  const recoveryCode = c.newRecoveryCode()
  const inboxKeys = c.newInboxKeys(1)
  const key = c.publishKey(inboxKeys)
  const reviewer = {
    boxPk: c.toB64(reviewerKey.publicKey),
    keyWrap: c.wrapSecret(reviewerKey.privateKey, wrapKey),
    recoveryWrap: c.wrapSecret(reviewerKey.privateKey, c.wrapKeyFromRecovery(recoveryCode)),
    recoveryLookup: c.recoveryLookupId(recoveryCode),
    unlock: unlockWith.kind,
    ...(salt ? { passphraseSalt: c.toB64(salt) } : {}),
  }
  const newInbox = {
    name: inbox.name,
    description: inbox.description,
    key,
    boxSkWrap: c.sealSecretTo(inboxKeys.encryption.privateKey, reviewerKey.publicKey),
    signSkWrap: c.sealSecretTo(inboxKeys.identity.privateKey, reviewerKey.publicKey),
  }
  c.wipe(reviewerKey.privateKey, inboxKeys.encryption.privateKey, inboxKeys.identity.privateKey)
  return { reviewer, inbox: newInbox, recoveryCode: c.formatCode(recoveryCode), wrapKey }
}

