import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sealReply } from '../../crypto/index'
import { nextLink } from '../support/chain'
import { receiptFromPage } from '../support/http'
import { firstAdminWithKeys, reviewApi, sqlAll } from '../support/review-api'
import { startServer, tempDataDir, type RunningServer } from '../support/server'
import * as reader from '../reader/reader'

/**
 * docs/protocol.md is complete: tests/reader/reader.ts, written from the document with libsodium
 * alone, opens what the real portal stored (a report with a file, sealed by the server's no-JS
 * path, and a reviewer's reply) straight from its database and blob folder, as a reviewer holding
 * the inbox key and as the reporter holding only the receipt, and traces the inbox's key log to
 * the head the report's self-note names.
 */
describe('an independent reader opens what Candour stores, from the document alone', () => {
  let server: RunningServer
  let admin: Awaited<ReturnType<typeof firstAdminWithKeys>>
  let receipt: string
  const words = 'Independent reader: the sergeant calls a Black colleague "the new one" in every briefing.'
  // More than two 64 KiB chunks, so the reader walks the chunking, and a name the reader must see.
  const chat = Buffer.from(Array.from({ length: 2500 }, (_, i) => `12/03/2024, 21:${String(i % 60).padStart(2, '0')} - Sgt: banter ${i}\n`).join(''))
  const db = <T>(q: string, p: unknown[] = []) => sqlAll<T>(server.dbFile, q, p)

  beforeAll(async () => {
    server = await startServer({ dataDir: tempDataDir('candour-reader-') })
    admin = await firstAdminWithKeys(server)
    const fd = new FormData()
    for (const [k, v] of [
      ['intent', 'send'],
      ['inboxId', admin.inboxId],
      ['categories', 'racism'],
      ['whatHappened', words],
      ['role', 'witness'],
    ])
      fd.append(k, v)
    fd.append('files', new Blob([chat], { type: 'text/plain' }), 'briefing-chat.txt')
    const res = await fetch(`${server.url}/report`, { method: 'POST', body: fd })
    receipt = receiptFromPage(await res.text())
    const [row] = await db<{ id: string; box_pk: string }>('SELECT id, box_pk FROM reports')
    const chain = await nextLink(server.dbFile, row.id)
    const reply = sealReply({ text: 'Thank you. We have opened an assessment.', reviewer: 'Reviewer Kestrel', chain }, admin.inbox, row.box_pk)
    const sent = await reviewApi(() => server.url).post(
      '/api/review/triage/reply',
      { reportId: row.id, keyVersion: 1, envelope: reply, prev: chain.prev },
      admin.cookie,
    )
    expect(sent.status).toBe(200)
  })
  afterAll(async () => {
    await server?.stop()
    if (server) fs.rmSync(server.dataDir, { recursive: true, force: true })
  })

  const stored = async () => {
    const [report] = await db<{ envelope: string; locator: string; self_note: string }>('SELECT envelope, locator, self_note FROM reports')
    const messages = await db<{ author_kind: string; envelope: string }>('SELECT author_kind, envelope FROM messages ORDER BY seq')
    const log = (await db<{ entry: string }>('SELECT entry FROM key_log WHERE inbox_id = ? ORDER BY pos', [admin.inboxId])).map((r) => JSON.parse(r.entry))
    return { report: { ...report, envelope: JSON.parse(report.envelope) }, messages: messages.map((m) => ({ ...m, envelope: JSON.parse(m.envelope) })), log }
  }

  it('as a reviewer: the report opens with the inbox key, verifies under the key inside it, and its file opens byte for byte', async () => {
    const { report } = await stored()
    const k = reader.keyFromInboxWrap(report.envelope, admin.inbox.encryption)
    const opened = reader.openBody(report.envelope, k, 'report', (p) => reader.b64(p.reporter.signPk))
    expect(opened.verified).toBe(true)
    expect(opened.payload).toMatchObject({ type: 'report', answers: { whatHappened: words, categories: ['racism'], role: 'witness' } })
    const [file] = opened.payload.files
    expect(file).toMatchObject({ name: 'briefing-chat.txt', type: 'text/plain', size: chat.length })
    const bytes = fs.readFileSync(path.join(server.dataDir, 'blobs', file.id))
    expect(Buffer.from(reader.openFile(bytes, reader.b64(file.key), file.size)).equals(chat)).toBe(true)
  })

  it('as the reporter, with only the receipt: the locator finds the report, it and the reply open and verify under the pinned identity', async () => {
    const { report, messages } = await stored()
    const keys = reader.receiptKeys(receipt.toLowerCase().replace(/-/g, ' '))
    expect(keys.locator).toBe(report.locator)
    const mine = reader.openBody(report.envelope, reader.keyFromReporterWrap(report.envelope, { noteKey: keys.noteKey }), 'report', (p) =>
      reader.b64(p.reporter.signPk),
    )
    expect(mine.verified && reader.toB64(keys.sign.publicKey) === mine.payload.reporter.signPk).toBe(true)
    const note = reader.openSelfNote(report.self_note, keys.noteKey)
    expect(note).toMatchObject({ inboxId: admin.inboxId, inboxSignPk: reader.toB64(admin.inbox.identity.publicKey), keyVersion: 1 })
    const reply = messages.find((m) => m.author_kind === 'reviewer')!
    const k = reader.keyFromReporterWrap(reply.envelope, { boxSk: keys.box.privateKey, inboxPk: admin.inbox.encryption.publicKey })
    const opened = reader.openBody(reply.envelope, k, 'reply', () => reader.b64(note.inboxSignPk))
    const { chain, ...words } = opened.payload
    expect({ verified: opened.verified, payload: words }).toEqual({
      verified: true,
      payload: { type: 'reply', text: 'Thank you. We have opened an assessment.', reviewer: 'Reviewer Kestrel' },
    })
    // The reply's place, as the document defines it: first after the report, which names its own id.
    expect(chain).toEqual({ report: mine.payload.chain.report, n: 1, prev: reader.linkOf(report.envelope) })
    // A reply is never a report: the purpose label is part of what was signed.
    expect(reader.openBody(reply.envelope, k, 'followup', () => reader.b64(note.inboxSignPk)).verified).toBe(false)
  })

  it('the key log traces from its genesis to the head the self-note names, and to the key the report was sealed to', async () => {
    const { report, log } = await stored()
    const traced = reader.traceKeyLog(log)
    const note = reader.openSelfNote(report.self_note, reader.receiptKeys(receipt).noteKey)
    expect(traced.signPk).toBe(note.inboxSignPk)
    expect(traced.head).toBe(note.logHead)
    expect(traced.newest).toEqual({ keyVersion: 1, boxPk: reader.toB64(admin.inbox.encryption.publicKey) })
    // One changed byte anywhere in an entry and the trace fails.
    const tampered = structuredClone(log)
    tampered[0].boxPk = reader.toB64(new Uint8Array(32))
    expect(() => reader.traceKeyLog(tampered)).toThrow(/not signed/)
  })
})
