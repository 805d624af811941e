import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { randomBytes } from 'node:crypto'
import { deriveReporterKeys, SELF_NOTE_SEALED_BYTES, toB64, type InboxKeys } from '../../crypto/index'
import { openSelfNote, sealSelfNote, type SelfNote } from '../../crypto/inbox'
import { json, loadInboxKeys, postForm, reporterToken, visibleText } from '../support/http'
import { sealedSubmission } from '../support/seal'
import { createInbox, errorLines, startServer, tempDataDir, type RunningServer } from '../support/server'

/** The reporter's browser replaces its sealed self-note with the heads it verified last; nobody else can. */
let server: RunningServer
let inboxId = ''
let inboxKeys: InboxKeys

const answers = { categories: ['racism'], whatHappened: 'Nicknames at the custody desk.', when: '', where: '', who: '', role: '', contact: '' }

async function file() {
  const { receipt, body } = await sealedSubmission(inboxId, inboxKeys, answers)
  const res = await json(`${server.url}/api/reports`, { body })
  expect(res.status).toBe(201)
  return { receipt, keys: deriveReporterKeys(receipt), token: await reporterToken(server.url, receipt) }
}

const thread = async (token: string) => (await json(`${server.url}/api/reporter/thread`, { token })).body
const replace = (token: string | undefined, body: unknown) => json(`${server.url}/api/reporter/self-note`, { token, body })

beforeAll(async () => {
  const dataDir = tempDataDir()
  const inbox = createInbox(dataDir)
  inboxId = inbox.id
  inboxKeys = await loadInboxKeys(inbox.keyFile)
  server = await startServer({ dataDir })
})
afterAll(() => server?.stop())

describe('replacing the self-note', () => {
  it('stores what the browser sealed, and the next visit opens the heads', async () => {
    const a = await file()
    const pinned = openSelfNote((await thread(a.token)).selfNote, a.keys.noteKey)
    const heads: Partial<SelfNote> = { logHead: toB64(new Uint8Array(32).fill(1)), threadHead: { seq: 3, hash: toB64(new Uint8Array(32).fill(2)) } }
    const res = await replace(a.token, { selfNote: sealSelfNote({ ...pinned, ...heads }, a.keys.noteKey) })
    expect(res.status).toBe(200)
    expect(openSelfNote((await thread(a.token)).selfNote, a.keys.noteKey)).toEqual({ ...pinned, ...heads })
  })

  it('touches only the signed-in report', async () => {
    const a = await file()
    const b = await file()
    const before = (await thread(b.token)).selfNote
    expect(
      (await replace(a.token, { selfNote: sealSelfNote({ inboxId, inboxSignPk: toB64(inboxKeys.identity.publicKey), keyVersion: 1 }, a.keys.noteKey) })).status,
    ).toBe(200)
    expect((await thread(b.token)).selfNote).toBe(before)
  })

  it('refuses without a session, and refuses a wrong size or extra field with a 400 that changes nothing', async () => {
    const a = await file()
    const before = (await thread(a.token)).selfNote
    const good = sealSelfNote({ inboxId, inboxSignPk: toB64(inboxKeys.identity.publicKey), keyVersion: 1 }, a.keys.noteKey)
    expect((await replace(undefined, { selfNote: good })).status).toBe(401)
    const bad = await replace(a.token, { selfNote: good.slice(0, -4) })
    expect(bad.status).toBe(400)
    expect(JSON.stringify(bad.body)).toContain('self-note must be 552 bytes')
    expect((await replace(a.token, { selfNote: good, extra: 1 })).status).toBe(400)
    expect((await replace(a.token, 'x')).status).toBe(400)
    expect((await thread(a.token)).selfNote).toBe(before)
  })

  it('a note that no longer opens (a damaged rewrite) leaves the report readable without JavaScript', async () => {
    const a = await file()
    expect((await replace(a.token, { selfNote: toB64(randomBytes(SELF_NOTE_SEALED_BYTES)) })).status).toBe(200)
    const page = await postForm(`${server.url}/check`, { intent: 'open', receipt: a.receipt })
    expect(page.status).toBe(200)
    expect(visibleText(page.html)).toContain('Nicknames at the custody desk.')
  })

  it('logged no errors', () => {
    expect(errorLines(server.output())).toEqual([])
  })
})
