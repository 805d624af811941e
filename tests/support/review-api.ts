import { randomBytes } from 'node:crypto'
import sqlite3 from 'sqlite3'
import { prepareFirstAdmin } from '../../app/review/enrol.client'
import { headOf, fromB64, openSealedSecret, unwrapSecret, type InboxKeys, type KeyLogEntry, type KeyPair, type LogHead } from '../../crypto/index'
import { setupLink } from '../e2e/reviewer-helpers'
import type { RunningServer } from './server'
import { softPasskey } from './soft-passkey'

/**
 * Talking to the reviewer API as a browser's fetch would, for tests without a browser: a JSON
 * POST with an optional session cookie, recording every status so a test can assert "no 5xx".
 */
export function reviewApi(baseUrl: () => string) {
  const statuses: Array<[string, number]> = []
  async function post(path: string, body: unknown = {}, cookie?: string) {
    const res = await fetch(`${baseUrl()}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
      body: JSON.stringify(body),
      redirect: 'manual',
    })
    statuses.push([path, res.status])
    const text = await res.text()
    let json: any = text
    try {
      json = JSON.parse(text)
    } catch {
      // not JSON: kept as text for the failure message
    }
    return { status: res.status, body: json, cookie: (res.headers.get('set-cookie') ?? '').split(';')[0] }
  }
  return { post, statuses }
}

/** Rows from the server's database through a second connection (waits out the server's writes). */
export function sqlAll<T = any>(dbFile: string, query: string, params: unknown[] = []): Promise<T[]> {
  return new Promise((resolve, reject) => {
    const d = new sqlite3.Database(dbFile, (err) => {
      if (err) return reject(err)
      d.configure('busyTimeout', 5000)
      d.all(query, params, (e, rows) => {
        d.close()
        if (e) reject(e)
        else resolve(rows as T[])
      })
    })
  })
}

/** Where an inbox's key log stands: the head a member's browser signs its next entry on. */
export async function keyLogHead(dbFile: string, inboxId: string): Promise<LogHead> {
  const [last] = await sqlAll<{ entry: string }>(dbFile, 'SELECT entry FROM key_log WHERE inbox_id = ? ORDER BY pos DESC LIMIT 1', [inboxId])
  return headOf([JSON.parse(last.entry) as KeyLogEntry])
}

/**
 * The first admin, enrolled from the setup link through the API with a software passkey, so the
 * test holds what her browser would after unlocking: her own key pair and the first inbox's keys.
 * Pass the test's `api` when it asserts on every status it saw. Throws rather than using vitest's
 * expect, because bench scripts import this file too.
 */
export async function firstAdminWithKeys(server: RunningServer, opts: { displayName?: string; inboxName?: string; api?: ReturnType<typeof reviewApi> } = {}) {
  const api = opts.api ?? reviewApi(() => server.url)
  const passkey = softPasskey(server.url)
  const token = new URL(await setupLink(server)).hash.slice(1)
  const options = await api.post('/api/review/setup/options', { token, displayName: opts.displayName ?? 'Ada Admin' })
  const prepared = await prepareFirstAdmin({ kind: 'prf', prf: randomBytes(32) }, { name: opts.inboxName ?? 'Professional Standards', description: '' })
  const done = await api.post('/api/review/setup/complete', {
    ceremonyId: options.body.ceremonyId,
    registration: passkey.register(options.body.options),
    reviewer: prepared.reviewer,
    inbox: prepared.inbox,
  })
  if (done.status !== 201) throw new Error(`setup/complete answered ${done.status}, not 201: ${JSON.stringify(done.body)}`)
  const key: KeyPair = { publicKey: fromB64(prepared.reviewer.boxPk), privateKey: unwrapSecret(prepared.reviewer.keyWrap, prepared.wrapKey) }
  const inbox: InboxKeys = {
    keyVersion: 1,
    identity: { publicKey: fromB64(prepared.inbox.key.signPk), privateKey: openSealedSecret(prepared.inbox.signSkWrap, key) },
    encryption: { publicKey: fromB64(prepared.inbox.key.boxPk), privateKey: openSealedSecret(prepared.inbox.boxSkWrap, key) },
  }
  return {
    cookie: done.cookie,
    inboxId: done.body.inboxes[0].id as string,
    inbox,
    prepared,
    /** The admin's reviewer id and key pair, for tests that seal inbox keys to others or sign in again. */
    reviewer: { id: done.body.reviewer.id as string, key },
    passkey,
  }
}
