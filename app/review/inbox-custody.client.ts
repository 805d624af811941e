import type { Answer } from '~/ui/wire'
import type { Translate } from '#common/i18n/translate'
import { callApi } from '~/ui/api.client'
import { loadCrypto } from '~/ui/crypto.client'
import { keyring, logHere, pinHere, rememberInbox } from './keyring.client'

export type OfflineInbox = { id: string; name: string; signPk: string; versions: Array<{ keyVersion: number; boxPk: string }>; log: unknown[] }

function unlockedOrThrow(t: Translate) {
  const k = keyring()
  if (!k) throw new Error(t('members.custody.locked'))
  return k
}

/** A new inbox: its keys are made here and leave only sealed to this reviewer's own key. */
export async function createInbox(name: string, description: string, t: Translate) {
  const k = unlockedOrThrow(t)
  const c = await loadCrypto()
  const keys = c.newInboxKeys(1)
  const log = c.logKey(keys)
  const { inboxId } = await callApi<Answer<typeof import('~/routes/api.review.inboxes').action>>('/api/review/inboxes', {
    cookies: true,
    body: {
      name,
      description,
      key: c.publishKey(keys),
      log,
      boxSkWrap: c.sealSecretTo(keys.encryption.privateKey, k.reviewerKey.publicKey),
      signSkWrap: c.sealSecretTo(keys.identity.privateKey, k.reviewerKey.publicKey),
    },
  })
  rememberInbox({ id: inboxId, name, keyVersion: 1, encryption: keys.encryption, identity: keys.identity }, c.headOf(log))
  // Pinned now, with the identity made here, so no later sign-in has to trust it on first sight.
  await pinHere(inboxId, c.toB64(keys.identity.publicKey))
  return inboxId
}

/**
 * Adopts an offline inbox from its key file: checks the file against the inbox's public keys,
 * proves it holds the identity key by signing the server's challenge, and wraps every version.
 */
export async function adoptInbox(inbox: OfflineInbox, fileText: string, t: Translate) {
  const k = unlockedOrThrow(t)
  const c = await loadCrypto()
  const { decodeKeyFile } = await import('#server/inbox-key-file')
  let json: unknown = null
  try {
    json = JSON.parse(fileText)
  } catch {
    // reported below as not a key file
  }
  const file = decodeKeyFile(json)
  if (!file) throw new Error(t('members.custody.notKeyFile'))
  if (file.inboxId !== inbox.id || c.toB64(file.identity.publicKey) !== inbox.signPk) throw new Error(t('members.custody.otherInbox', { name: file.name }))
  for (const v of inbox.versions)
    if (!file.encryption.has(v.keyVersion) || c.toB64(file.encryption.get(v.keyVersion)!.publicKey) !== v.boxPk)
      throw new Error(t('members.custody.missingVersion', { v: v.keyVersion }))
  // The log must trace exactly these versions to the file's identity; an inbox made before the
  // key log is logged from here once it is adopted.
  const traced = inbox.log.length ? c.traceLog(inbox.log, { genesisSignPk: inbox.signPk }) : null
  if (traced && (!traced.ok || traced.versions.length !== inbox.versions.length || traced.versions.some((t, i) => t.boxPk !== inbox.versions[i].boxPk)))
    throw new Error(t('members.custody.logMismatch'))
  const { ceremonyId, challenge, reviewerId } = await callApi<Answer<typeof import('~/routes/api.review.adopt_.challenge').action>>(
    '/api/review/adopt/challenge',
    { cookies: true, body: { inboxId: inbox.id } },
  )
  const statement = c.adoptionStatement(c.fromB64(challenge), inbox.id, reviewerId)
  await callApi('/api/review/adopt', {
    cookies: true,
    body: {
      ceremonyId,
      signature: c.toB64(c.sign('adopt', statement, file.identity.privateKey)),
      wraps: inbox.versions.map((v) => ({
        keyVersion: v.keyVersion,
        boxSkWrap: c.sealSecretTo(file.encryption.get(v.keyVersion)!.privateKey, k.reviewerKey.publicKey),
        signSkWrap: c.sealSecretTo(file.identity.privateKey, k.reviewerKey.publicKey),
      })),
    },
  })
  for (const v of inbox.versions)
    rememberInbox(
      { id: inbox.id, name: inbox.name, keyVersion: v.keyVersion, encryption: file.encryption.get(v.keyVersion)!, identity: file.identity },
      traced?.ok ? traced.head : undefined,
    )
  await pinHere(inbox.id, c.toB64(file.identity.publicKey))
  if (!traced) await logHere(inbox.id)
}
