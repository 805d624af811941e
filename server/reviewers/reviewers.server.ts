import { fromB64, randomBytes, toB64, verifyPublishedKey, type InboxPin, type ListedKeyVersion } from '#crypto'
import { appendAudit } from '../audit.server'
import { insertInbox, insertKeyWrap, keyringInboxes, memberInboxOverview } from '../db/inboxes.server'
import { keyLogEntries } from '../db/key-log.server'
import { grantsTo } from '../db/grants.server'
import { publishKeyVersion } from '../key-log.server'
import { markSetupTokenUsed } from '../db/invites.server'
import { insertMember } from '../db/members.server'
import { markSignedIn, passkeyForKeyring, passkeyForSignIn } from '../db/passkeys.server'
import { liveReviewer, reviewerCount } from '../db/reviewers.server'
import type { Store } from '../db/store.server'
import { randomId } from '../ids.server'
import { UserError } from '#common/errors'
import { parseInput } from '#common/wire'
import { ceremonyStore, signedChallenges } from './ceremonies.server'
import { storeNewReviewer } from './enrolment.server'
import { hashToken, requireNoReviewerYet, requireUnusedSetupToken } from './setup-tokens.server'
import { setupCompleteSchema, setupOptionsSchema, signInSchema } from './schemas.server'
import type { PinService } from './pins.server'
import type { ReviewerSessions } from './sessions.server'
import { authenticationOptions, registrationOptions, verifyAuthentication, verifyRegistration, type RelyingParty } from './webauthn.server'

/**
 * What a signed-in reviewer's browser unlocks: every key version of their inboxes with its
 * signature, and their pins of the inbox identities. The browser checks all of it before use
 * (ADR 0021); this is the type it reads.
 */
export type Keyring = {
  reviewer: { id: string; displayName: string; role: 'admin' | 'reviewer'; boxPk: string }
  passkey: { id: string; unlock: 'prf' | 'passphrase'; keyWrap: string; passphraseSalt: string | null }
  inboxes: Array<ListedKeyVersion & { id: string; name: string; description: string }>
  pins: Record<string, InboxPin>
  /** Each inbox's key log, which the browser traces before it uses any version listed above. */
  logs: Record<string, unknown[]>
  /** Who approved this reviewer into each inbox, and the grant they made (ADR 0032), checked on first sight. */
  grants: Record<string, { by: { id: string; name: string; boxPk: string }; grant: string }>
}

/** First-run setup and passkey sign-in. The server checks ceremonies and stores wraps; keys stay in browsers. */
export function reviewerService(store: Store, sessions: ReviewerSessions, pins: PinService, rp: () => RelyingParty) {
  const setups = ceremonyStore<{ tokenHash: string; displayName: string; handle: string }>()
  const signIns = signedChallenges()

  async function keyring(reviewerId: string, passkeyId: string): Promise<Keyring> {
    const r = await liveReviewer(store.read, reviewerId)
    const p = await passkeyForKeyring(store.read, passkeyId, reviewerId)
    if (!r || !p) throw new UserError(401, 'errors.reviewers.signInAgain')
    const inboxes = await keyringInboxes(store.read, reviewerId)
    return {
      reviewer: { id: r.id, displayName: r.display_name, role: r.role, boxPk: r.box_pk },
      passkey: { id: p.id, unlock: p.unlock, keyWrap: p.key_wrap, passphraseSalt: p.passphrase_salt },
      inboxes: inboxes.map((i) => ({
        id: i.id,
        name: i.name,
        description: i.description,
        keyVersion: i.key_version,
        boxPk: i.box_pk,
        signPk: i.sign_pk,
        signature: i.signature,
        boxSkWrap: i.box_sk_wrap,
        signSkWrap: i.sign_sk_wrap,
      })),
      pins: await pins.of(store.read, reviewerId),
      logs: Object.fromEntries(await Promise.all([...new Set(inboxes.map((i) => i.id))].map(async (id) => [id, await keyLogEntries(store.read, id)] as const))),
      grants: Object.fromEntries(
        (await grantsTo(store.read, reviewerId)).map((g) => [g.inbox_id, { by: { id: g.by_id, name: g.by_name, boxPk: g.by_box_pk }, grant: g.grant_box }]),
      ),
    }
  }

  return {
    keyring,

    /** What the reviewer's home page shows: their inboxes and how many sealed reports each holds. */
    async overview(reviewerId: string) {
      const r = await liveReviewer(store.read, reviewerId)
      if (!r) throw new UserError(401, 'errors.reviewers.signInAgain')
      const inboxes = await memberInboxOverview(store.read, reviewerId)
      return {
        displayName: r.display_name,
        role: r.role,
        inboxes: inboxes.map((i) => ({ id: i.id, name: i.name, description: i.description, keyVersion: i.key_version, reportCount: i.reports })),
      }
    },

    async reviewerCount(): Promise<number> {
      return reviewerCount(store.read)
    },

    async setupOptions(raw: unknown) {
      const input = parseInput(setupOptionsSchema, raw)
      const tokenHash = hashToken(input.token)
      await requireUnusedSetupToken(store, tokenHash)
      const handle = randomBytes(32)
      const options = await registrationOptions(rp(), { handle, name: input.displayName })
      const ceremonyId = setups.open(options.challenge, { tokenHash, displayName: input.displayName, handle: toB64(handle) })
      return { ceremonyId, options }
    },

    /** The first admin: passkey, wrapped reviewer key, and the first inbox made in their browser. */
    async completeSetup(raw: unknown): Promise<{ token: string; keyring: Keyring }> {
      const input = parseInput(setupCompleteSchema, raw)
      const { value, challenge } = setups.take(input.ceremonyId)
      await requireUnusedSetupToken(store, value.tokenHash)
      if (input.reviewer.unlock === 'passphrase' && !input.reviewer.passphraseSalt) throw new UserError(400, 'errors.reviewers.needSalt')
      if (!verifyPublishedKey(input.inbox.key)) throw new UserError(400, 'errors.inboxes.unsignedKey')
      const credential = await verifyRegistration(rp(), input.registration, challenge)
      const reviewerId = randomId(12)
      const inboxId = randomId(12)
      const at = new Date().toISOString()
      await store.transaction(async (tx) => {
        await requireNoReviewerYet(tx)
        const used = await markSetupTokenUsed(tx, value.tokenHash, at)
        if (used.changes !== 1) throw new UserError(410, 'errors.setup.justUsed')
        // Setup signs in too, so the passkey counts as used now.
        await storeNewReviewer(
          tx,
          { id: reviewerId, displayName: value.displayName, role: 'admin', keys: input.reviewer, handle: value.handle, at },
          credential,
          at,
        )
        const k = input.inbox.key
        await insertInbox(tx, { id: inboxId, name: input.inbox.name, description: input.inbox.description, signPk: k.signPk, custody: 'members', at })
        await publishKeyVersion(tx, { inboxId, key: k, log: input.inbox.log, at })
        await insertMember(tx, inboxId, reviewerId, at)
        await insertKeyWrap(tx, { inboxId, keyVersion: 1, reviewerId, boxSkWrap: input.inbox.boxSkWrap, signSkWrap: input.inbox.signSkWrap })
        const actor = `reviewer:${reviewerId}`
        await appendAudit(tx, { actor, action: 'reviewer.register', subject: reviewerId, detail: { role: 'admin', unlock: input.reviewer.unlock } })
        await appendAudit(tx, { actor, action: 'passkey.add', subject: reviewerId, detail: { passkey: credential.id.slice(0, 12) } })
        await appendAudit(tx, { actor, action: 'inbox.create', subject: inboxId, detail: { custody: 'members', keyVersion: 1 } })
      })
      return { token: sessions.start(reviewerId, credential.id), keyring: await keyring(reviewerId, credential.id) }
    },

    async signInOptions() {
      const options = await authenticationOptions(rp())
      return { ceremonyId: signIns.open(options.challenge), options }
    },

    /** One passkey touch: checks the assertion and answers with this reviewer's wrapped keys. */
    async signIn(raw: unknown): Promise<{ token: string; keyring: Keyring }> {
      const input = parseInput(signInSchema, raw)
      const { challenge } = signIns.take(input.ceremonyId)
      const row = await passkeyForSignIn(store.read, input.assertion.id)
      if (!row || row.removed_at) throw new UserError(401, 'errors.passkeys.notRegisteredHere')
      const info = await verifyAuthentication(rp(), input.assertion, challenge, {
        id: row.id,
        publicKey: new Uint8Array(fromB64(row.public_key)),
        counter: row.counter,
        transports: JSON.parse(row.transports),
      })
      await store.transaction(async (tx) => {
        await markSignedIn(tx, row.id, info.newCounter, new Date().toISOString())
        await appendAudit(tx, {
          actor: `reviewer:${row.reviewer_id}`,
          action: 'session.start',
          subject: row.reviewer_id,
          detail: { passkey: row.id.slice(0, 12) },
        })
      })
      return { token: sessions.start(row.reviewer_id, row.id), keyring: await keyring(row.reviewer_id, row.id) }
    },

    async signOut(token: string | undefined, reviewerId: string | undefined) {
      sessions.end(token)
      if (reviewerId)
        await store.transaction((tx) => appendAudit(tx, { actor: `reviewer:${reviewerId}`, action: 'session.end', subject: reviewerId }).then(() => undefined))
    },
  }
}

export type ReviewerService = ReturnType<typeof reviewerService>
