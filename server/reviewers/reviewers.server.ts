import { fromB64, randomBytes, toB64, verifyPublishedKey, type InboxPin, type ListedKeyVersion } from '#crypto'
import { appendAudit } from '../audit.server'
import type { Store } from '../db/store.server'
import { randomId } from '../ids.server'
import { UserError } from '#common/errors'
import { parseInput } from '#common/wire'
import { ceremonyStore, signedChallenges } from './ceremonies.server'
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
}

/** First-run setup and passkey sign-in. The server checks ceremonies and stores wraps; keys stay in browsers. */
export function reviewerService(store: Store, sessions: ReviewerSessions, pins: PinService, rp: () => RelyingParty) {
  const setups = ceremonyStore<{ tokenHash: string; displayName: string; handle: string }>()
  const signIns = signedChallenges()

  async function keyring(reviewerId: string, passkeyId: string): Promise<Keyring> {
    const r = await store.read.get<{ id: string; display_name: string; role: 'admin' | 'reviewer'; box_pk: string }>(
      'SELECT id, display_name, role, box_pk FROM reviewers WHERE id = ? AND removed_at IS NULL',
      [reviewerId],
    )
    const p = await store.read.get<{ id: string; unlock: 'prf' | 'passphrase'; key_wrap: string; passphrase_salt: string | null }>(
      'SELECT id, unlock, key_wrap, passphrase_salt FROM passkeys WHERE id = ? AND reviewer_id = ?',
      [passkeyId, reviewerId],
    )
    if (!r || !p) throw new UserError(401, 'Sign in again.')
    const inboxes = await store.read.all<{ id: string; name: string; description: string; key_version: number; box_pk: string; sign_pk: string; signature: string; box_sk_wrap: string; sign_sk_wrap: string }>(
      `SELECT i.id, i.name, i.description, w.key_version, k.box_pk, i.sign_pk, k.signature, w.box_sk_wrap, w.sign_sk_wrap
       FROM inbox_key_wraps w JOIN inboxes i ON i.id = w.inbox_id
       JOIN inbox_keys k ON k.inbox_id = w.inbox_id AND k.key_version = w.key_version
       WHERE w.reviewer_id = ? ORDER BY i.name, w.key_version`,
      [reviewerId],
    )
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
    }
  }

  return {
    keyring,

    /** What the reviewer's home page shows: their inboxes and how many sealed reports each holds. */
    async overview(reviewerId: string) {
      const r = await store.read.get<{ display_name: string; role: 'admin' | 'reviewer' }>(
        'SELECT display_name, role FROM reviewers WHERE id = ? AND removed_at IS NULL',
        [reviewerId],
      )
      if (!r) throw new UserError(401, 'Sign in again.')
      const inboxes = await store.read.all<{ id: string; name: string; description: string; key_version: number; reports: number }>(
        `SELECT i.id, i.name, i.description,
                (SELECT MAX(key_version) FROM inbox_keys WHERE inbox_id = i.id) AS key_version,
                (SELECT COUNT(*) FROM reports WHERE inbox_id = i.id) AS reports
         FROM inbox_members m JOIN inboxes i ON i.id = m.inbox_id WHERE m.reviewer_id = ? ORDER BY i.name`,
        [reviewerId],
      )
      return {
        displayName: r.display_name,
        role: r.role,
        inboxes: inboxes.map((i) => ({ id: i.id, name: i.name, description: i.description, keyVersion: i.key_version, reportCount: i.reports })),
      }
    },

    async reviewerCount(): Promise<number> {
      return (await store.read.get<{ n: number }>('SELECT COUNT(*) AS n FROM reviewers'))?.n ?? 0
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
      if (input.reviewer.unlock === 'passphrase' && !input.reviewer.passphraseSalt)
        throw new UserError(400, 'A passphrase unlock needs its salt.')
      if (!verifyPublishedKey(input.inbox.key)) throw new UserError(400, 'The inbox key is not signed by its identity key.')
      const credential = await verifyRegistration(rp(), input.registration, challenge)
      const reviewerId = randomId(12)
      const inboxId = randomId(12)
      const at = new Date().toISOString()
      await store.transaction(async (tx) => {
        await requireNoReviewerYet(tx)
        const used = await tx.run('UPDATE setup_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL', [at, value.tokenHash])
        if (used.changes !== 1) throw new UserError(410, 'This setup link has just been used.')
        await tx.run(
          'INSERT INTO reviewers (id, display_name, role, box_pk, recovery_wrap, recovery_lookup, webauthn_user_id, created_at) VALUES (?,?,?,?,?,?,?,?)',
          [reviewerId, value.displayName, 'admin', input.reviewer.boxPk, input.reviewer.recoveryWrap, hashToken(input.reviewer.recoveryLookup), value.handle, at],
        )
        await tx.run(
          `INSERT INTO passkeys (id, reviewer_id, public_key, counter, transports, unlock, key_wrap, passphrase_salt, created_at, last_used_at)
           VALUES (?,?,?,?,?,?,?,?,?,?)`,
          [credential.id, reviewerId, toB64(credential.publicKey), credential.counter, JSON.stringify(credential.transports ?? []),
            input.reviewer.unlock, input.reviewer.keyWrap, input.reviewer.passphraseSalt ?? null, at, at], // setup signs in too
        )
        const k = input.inbox.key
        await tx.run('INSERT INTO inboxes (id, name, description, sign_pk, custody, created_at) VALUES (?,?,?,?,?,?)', [
          inboxId, input.inbox.name, input.inbox.description, k.signPk, 'members', at,
        ])
        await tx.run('INSERT INTO inbox_keys (inbox_id, key_version, box_pk, signature, created_at) VALUES (?,?,?,?,?)', [
          inboxId, 1, k.boxPk, k.signature, at,
        ])
        await tx.run('INSERT INTO inbox_members (inbox_id, reviewer_id, added_at) VALUES (?,?,?)', [inboxId, reviewerId, at])
        await tx.run('INSERT INTO inbox_key_wraps (inbox_id, key_version, reviewer_id, box_sk_wrap, sign_sk_wrap) VALUES (?,?,?,?,?)', [
          inboxId, 1, reviewerId, input.inbox.boxSkWrap, input.inbox.signSkWrap,
        ])
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
      const row = await store.read.get<{ id: string; reviewer_id: string; public_key: string; counter: number; transports: string; removed_at: string | null }>(
        `SELECT p.id, p.reviewer_id, p.public_key, p.counter, p.transports, r.removed_at
         FROM passkeys p JOIN reviewers r ON r.id = p.reviewer_id WHERE p.id = ?`,
        [input.assertion.id],
      )
      if (!row || row.removed_at) throw new UserError(401, 'This passkey is not registered here.')
      const info = await verifyAuthentication(rp(), input.assertion, challenge, {
        id: row.id,
        publicKey: new Uint8Array(fromB64(row.public_key)),
        counter: row.counter,
        transports: JSON.parse(row.transports),
      })
      await store.transaction(async (tx) => {
        await tx.run('UPDATE passkeys SET counter = ?, last_used_at = ? WHERE id = ?', [info.newCounter, new Date().toISOString(), row.id])
        await appendAudit(tx, { actor: `reviewer:${row.reviewer_id}`, action: 'session.start', subject: row.reviewer_id, detail: { passkey: row.id.slice(0, 12) } })
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
