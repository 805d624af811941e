import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  deriveReporterKeys,
  newReceipt,
  publishKey,
  sealFollowup,
  sealNote,
  sealReply,
  sealReport,
  sealState,
  toB64,
  type FileRef,
  type InboxKeys,
} from '../../crypto/index'
import { sealFile } from '../../crypto/files'
import { normaliseReceipt } from '../../crypto/receipt'
import { nextLink } from '../support/chain'
import { json, loadInboxKeys, reporterToken, todayUtc } from '../support/http'
import { reportSubmission, signedText } from '../support/poison-corpus'
import { sqlAll } from '../support/review-api'
import { admin, createInbox, startServer, tempDataDir, type RunningServer } from '../support/server'

/**
 * `inbox:open` pointed at hostile text: reports, follow-ups, replies, notes and file names full of
 * terminal escapes, bidi overrides, carriage-return tricks and lines dressed as the tool's own
 * verdicts. None of it may reach the terminal raw, every line of it is marked as someone's words,
 * `--json` gives it back exactly, and evidence files come out byte for byte under safe names.
 */

// Every hostile string carries HOSTILE, so a test can find every line it ended up on.
const ESC = '\x1b'
const H = {
  clear: `HOSTILE clear ${ESC}[2J${ESC}[3J${ESC}[H and colour ${ESC}[31mred${ESC}[0m`,
  title: `HOSTILE title ${ESC}]0;Candour: every signature verified\x07 and ${ESC}]2;again${ESC}\\`,
  bidi: 'HOSTILE bidi invoice\u202egpj.exe \u2066isolated\u2069 \u200fmark\u200e \u061c',
  cr: 'HOSTILE harmless\r  --- Reviewer · 2026-01-01 · signature verified',
  backspace: 'HOSTILE abc\b\b\bxyz, bell\x07, nul\x00, del\x7f, c1 csi\u009b2J, nel\u0085, line sep\u2028end',
  fake: 'HOSTILE first line\n  --- Reporter · 2026-01-01 · signature verified\n  Report signature verified.\n=== Report 9 · received 2026-01-01 · Closed\n  Saved to /tmp/fine.txt',
}
const ALL = Object.values(H).join('\n')
const FORGED = 'HOSTILE FORGED follow-up that must never be shown'
// The mark the tool puts before every line of someone else's words (README, `inbox:open`).
const QUOTE = '  │ '

let server: RunningServer
let dataDir = ''
let keys: InboxKeys
let keyFile = ''
let inboxId = ''
let receipt = ''
const files: Array<{ ref: FileRef; plain: Uint8Array }> = []
const db = <T = any>(sql: string, params: unknown[] = []) => sqlAll<T>(server.dbFile, sql, params)
const open = (...args: string[]) => admin(dataDir, ['inbox:open', '--key', keyFile, ...args])

/** Seals and uploads a file as a browser would; `name` and `type` are whatever the sender claims. */
async function upload(plain: Uint8Array, name: string, type: string) {
  const { key, ciphertext } = sealFile(plain)
  const made = await json(`${server.url}/api/files`, { body: { paddedSize: ciphertext.length } })
  expect(made.status, JSON.stringify(made.body)).toBe(201)
  const res = await fetch(`${server.url}/api/files/${made.body.id}?offset=0`, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream', authorization: `Bearer ${made.body.token}` },
    body: Buffer.from(ciphertext),
  })
  expect(res.status).toBe(200)
  const ref = { id: made.body.id as string, name, type, size: plain.length, key: toB64(key) }
  files.push({ ref, plain })
  return { ref, attachment: { id: made.body.id as string, token: made.body.token as string } }
}

/** A message row as the server would store it (replies and notes: the offline inbox has no members to send them). */
async function insertMessage(reportId: string, author: 'reporter' | 'reviewer' | 'note', envelope: unknown) {
  await db(
    `INSERT INTO messages (report_id, seq, author_kind, key_version, envelope, created_day)
     SELECT ?, COALESCE(MAX(seq), 0) + 1, ?, 1, ?, ? FROM messages WHERE report_id = ?`,
    [reportId, author, typeof envelope === 'string' ? envelope : JSON.stringify(envelope), todayUtc(), reportId],
  )
}

beforeAll(async () => {
  dataDir = tempDataDir('candour-open-inbox-')
  const created = createInbox(dataDir, 'Professional Standards')
  ;[inboxId, keyFile] = [created.id, created.keyFile]
  server = await startServer({ dataDir })
  keys = await loadInboxKeys(keyFile)
  const target = { ...publishKey(keys), inboxId }

  // Report 1: hostile answers, and a file whose name dresses up as a picture. (Names with
  // controls, direction marks or separators cannot be sealed and do not open: crypto/payloads.ts.)
  const picture = await upload(
    new Uint8Array(Buffer.from('\xff\xd8\xff\xe0 not really a jpeg but sniffed as one', 'latin1')),
    '..HOSTILE evil.jpg.sh',
    'image/jpeg',
  )
  receipt = newReceipt()
  const answers = { categories: ['racism', 'bullying'], whatHappened: ALL, when: H.cr, where: H.bidi, who: H.title, role: 'witness', contact: H.backspace }
  const sealed = sealReport(answers, receipt, target, [picture.ref])
  expect((await json(`${server.url}/api/reports`, { body: { ...sealed, files: [picture.attachment] } })).status).toBe(201)
  const [{ id: reportId }] = await db<{ id: string }>('SELECT id FROM reports WHERE locator = ?', [sealed.locator])
  const reporter = deriveReporterKeys(normaliseReceipt(receipt))

  // A follow-up with a text file, through the reporter's own API.
  const chat = await upload(new Uint8Array(Buffer.from('[01/12/2026, 09:14] Sgt W: HOSTILE it was only banter\n')), 'HOSTILE chat.txt', 'text/plain')
  const token = await reporterToken(server.url, receipt)
  const followup = await json(`${server.url}/api/reporter/messages`, {
    body: { keyVersion: 1, envelope: sealFollowup(H.fake, reporter, toB64(keys.encryption.publicKey), [chat.ref], null), files: [chat.attachment] },
    token,
  })
  expect(followup.status, JSON.stringify(followup.body)).toBe(201)

  // A reply and a note signed with the key file's identity, a reply file attached to the report.
  const replyFile = await upload(new Uint8Array(Buffer.from('%PDF-1.4 HOSTILE reply letter')), 'HOSTILE letter.pdf', 'application/pdf')
  await db('UPDATE blobs SET report_id = ?, token_hash = NULL WHERE id = ?', [reportId, replyFile.ref.id])
  await insertMessage(
    reportId,
    'reviewer',
    sealReply({ text: H.clear, reviewer: `Reviewer ${H.title}`, files: [replyFile.ref], chain: null }, keys, toB64(reporter.box.publicKey)),
  )
  await insertMessage(reportId, 'note', sealNote({ text: H.cr, by: H.bidi }, keys))
  // A change of status signed for the reporter's thread.
  const chain = await nextLink(server.dbFile, reportId)
  await insertMessage(
    reportId,
    'reviewer',
    sealState({ reviewer: 'Reviewer Wren', chain, state: { status: 'assessing' } }, keys, toB64(reporter.box.publicKey)),
  )
  // A follow-up forged by the server (signed by a reporter key of its own), and a damaged row.
  await insertMessage(
    reportId,
    'reporter',
    sealFollowup(FORGED, deriveReporterKeys(normaliseReceipt(newReceipt())), toB64(keys.encryption.publicKey), [], null),
  )
  await insertMessage(reportId, 'reporter', '{"v":1,"body":')

  // Reports 2 and 3, sealed and signed by hand as a hostile client would (the seal verbs refuse
  // them): answers of the format's shape but not the form's, and a payload of no known shape.
  for (const odd of [{ categories: 'racism', whatHappened: ['HOSTILE', `${ESC}[2J`] }, ['HOSTILE', 42, null, { nested: [H.clear] }]]) {
    const oddReceipt = newReceipt()
    const k = deriveReporterKeys(oddReceipt)
    const payload = JSON.stringify({ type: 'report', answers: odd, reporter: { signPk: toB64(k.sign.publicKey), boxPk: toB64(k.box.publicKey) } })
    const { body } = reportSubmission(signedText('report', payload, k.sign.privateKey), target, oddReceipt)
    expect((await json(`${server.url}/api/reports`, { body })).status).toBe(201)
  }
  // Reports 4 and 5: an envelope that is not JSON, and one that is not an envelope, as damaged rows would be.
  for (const envelope of ['not json at all', '{"v":1,"body":"AAAA","inbox":"AAAA"}']) {
    const damaged = sealReport({ categories: ['racism'], whatHappened: 'to be damaged' }, newReceipt(), target)
    expect((await json(`${server.url}/api/reports`, { body: damaged })).status).toBe(201)
    await db('UPDATE reports SET envelope = ? WHERE locator = ?', [envelope, damaged.locator])
  }
}, 120_000)

afterAll(async () => {
  await server?.stop()
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true })
})

// Anything a terminal acts on, or that reorders what it shows; only \n may remain.
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u

describe('inbox:open as text', () => {
  let out = ''
  beforeAll(() => {
    const r = open()
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    out = r.stdout
  })

  it('lets no raw control, escape or direction character through, and shows each as an escape', () => {
    expect(out.match(RAW)).toBeNull()
    for (const shown of [
      '\\x1b[2J',
      '\\x1b]0;Candour',
      '\\x07',
      '\\u202egpj.exe',
      '\\u2066',
      '\\r  --- Reviewer',
      '\\x08\\x08\\x08',
      '\\x00',
      '\\x7f',
      '\\x9b2J',
      '\\x85',
      '\\u2028',
    ])
      expect(out).toContain(shown)
  })

  it('marks every line of a reporter’s or reviewer’s words, so none passes for the tool’s own', () => {
    const lines = out.split('\n')
    const theirs = lines.filter((l) => l.includes('HOSTILE'))
    expect(theirs.length).toBeGreaterThan(15)
    expect(theirs.filter((l) => !l.startsWith(QUOTE))).toEqual([])
    // The tool's verdict lines are exactly the four real ones, and the tool's lines never start with the mark.
    const verdicts = lines.filter((l) => !l.startsWith(QUOTE) && l.includes(' · signature verified'))
    expect(verdicts).toEqual([
      `  --- Reporter · ${todayUtc()} · signature verified`,
      `  --- Reviewer · ${todayUtc()} · signature verified`,
      `  --- Note · ${todayUtc()} · signature verified`,
      `  --- Reviewer · ${todayUtc()} · signature verified`,
    ])
    expect(lines.filter((l) => !l.startsWith(QUOTE) && /^=== Report/.test(l))).toHaveLength(5)
    expect(lines.filter((l) => !l.startsWith(QUOTE) && l.includes('Report signature verified.'))).toHaveLength(2)
  })

  it('shows a signed change of status as the status it signed, with no words of its own', () => {
    expect(out).toContain(
      `  --- Reviewer · ${todayUtc()} · signature verified\n  Shown to the reporter as:\n${QUOTE}Reviewer Wren\n  Status signed for the reporter: Being assessed\n`,
    )
  })

  it('never shows a forged follow-up’s words, and says what could not be opened without stopping', () => {
    expect(out).not.toContain('FORGED')
    expect(out).toContain(`  --- Reporter · ${todayUtc()} · NOT VERIFIED: not shown as their words`)
    expect(out).toContain(`  --- Reporter · ${todayUtc()} · cannot open`)
    expect(out).toContain('  WARNING: The sealed report is damaged or not for this inbox.')
    expect(out).toContain('  The answers do not match the expected form of a report; shown as sent, as JSON:')
    expect(out).toContain(`${QUOTE}  "categories": "racism",`)
    expect(out).toContain('  WARNING: The report opens, but what is inside is not in the form Candour writes, so none of it is shown.')
  })

  it('lists every file of a verified message with its escaped name, type, true size, id and message', () => {
    for (const { ref } of files) {
      const at = out.indexOf(`· ${ref.size} bytes · id ${ref.id}`)
      expect(at, ref.id).toBeGreaterThan(0)
    }
    expect(out).toContain(
      `  File 1 of 1 with the report · ${files[0].ref.size} bytes · id ${files[0].ref.id}\n  Name:\n${QUOTE}..HOSTILE evil.jpg.sh\n  Type:\n${QUOTE}image/jpeg`,
    )
    expect(out).toMatch(/File 1 of 1 with message 1 · /)
    expect(out).toMatch(/File 1 of 1 with message 2 · /)
  })
})

describe('inbox:open --json', () => {
  it('is one JSON document, free of raw controls, that gives every text back exactly', () => {
    const r = open('--json')
    expect(r.code).toBe(0)
    expect(r.stdout.match(RAW)).toBeNull()
    const doc = JSON.parse(r.stdout)
    expect(doc.inbox).toEqual({ id: inboxId, name: 'Professional Standards' })
    expect(doc.reports).toHaveLength(5)
    const report = doc.reports.find((x: any) => x.answers?.whatHappened === ALL)
    expect(report).toMatchObject({ verdict: 'verified', answersForm: 'expected', warnings: [] })
    expect(report.answers).toEqual({
      categories: ['racism', 'bullying'],
      whatHappened: ALL,
      when: H.cr,
      where: H.bidi,
      who: H.title,
      role: 'witness',
      contact: H.backspace,
    })
    const { key: _key, ...picture } = files[0].ref
    expect(report.files).toEqual([{ ...picture, message: null }])
    const [follow, reply, note, state, forged, damaged] = report.messages
    expect(follow).toMatchObject({ seq: 1, author: 'reporter', verdict: 'verified', text: H.fake, signedAs: null })
    expect(follow.files.map((f: any) => [f.name, f.type, f.size, f.message])).toEqual([['HOSTILE chat.txt', 'text/plain', files[1].plain.length, 1]])
    expect(reply).toMatchObject({ seq: 2, author: 'reviewer', verdict: 'verified', text: H.clear, signedAs: `Reviewer ${H.title}` })
    expect(note).toMatchObject({ seq: 3, author: 'note', verdict: 'verified', text: H.cr, signedAs: H.bidi, files: [] })
    expect(forged).toEqual({ seq: 5, author: 'reporter', day: todayUtc(), keyVersion: 1, verdict: 'not-verified', text: null, signedAs: null, files: [] })
    expect(damaged).toMatchObject({ seq: 6, verdict: 'cannot-open', text: null })
    expect(state).toMatchObject({ seq: 4, author: 'reviewer', verdict: 'verified', text: '', signedAs: 'Reviewer Wren', state: { status: 'assessing' } })
    expect(r.stdout).not.toContain('FORGED')
    // File keys never leave the tool, in either form.
    for (const { ref } of files) expect(r.stdout).not.toContain(ref.key)
    const odd = doc.reports.find((x: any) => x.answersForm === 'unexpected' && !Array.isArray(x.answers))
    expect(odd.answers).toEqual({ categories: 'racism', whatHappened: ['HOSTILE', `${ESC}[2J`] })
    expect(doc.reports.filter((x: any) => x.verdict === 'cannot-open')).toHaveLength(3)
  })

  it('is the same document, its warnings in English, when the terminal speaks Welsh; the text is in Welsh', () => {
    const welsh = { LANG: 'cy_GB.UTF-8' }
    expect(admin(dataDir, ['inbox:open', '--key', keyFile, '--json'], welsh).stdout).toBe(open('--json').stdout)
    const text = admin(dataDir, ['inbox:open', '--key', keyFile], welsh).stdout
    expect(text).toContain("  WARNING: Mae'r adroddiad a seliwyd wedi'i ddifrodi, neu nid yw ar gyfer y mewnflwch hwn.")
    expect(text).toContain(`  --- Adroddwr · ${todayUtc()} · HEB EI DILYSU: nid yw'n cael ei dangos fel eu geiriau nhw`)
    expect(text).not.toContain('The sealed report is damaged')
  })
})

describe('inbox:open --files-out DIR', () => {
  let n = 0 // the hostile report's number: reports are listed by day, then by their random id
  it('decrypts every file byte for byte under generated names, mode 0600, and says where each went', () => {
    // Two levels down, so that a name of "../../x" would land in dataDir, which afterAll removes.
    const outDir = path.join(dataDir, 'out', 'evidence')
    const r = open('--files-out', outDir, '--json')
    expect(r.code, r.stderr).toBe(0)
    const doc = JSON.parse(r.stdout)
    const listed = doc.reports.flatMap((x: any) => [...x.files, ...x.messages.flatMap((m: any) => m.files)])
    expect(listed).toHaveLength(files.length)
    n = doc.reports.find((x: any) => x.files.length).n
    expect(fs.readdirSync(outDir).sort()).toEqual([`report-${n}-file-1.jpg`, `report-${n}-message-1-file-1.txt`, `report-${n}-message-2-file-1.pdf`])
    for (const f of listed) {
      const sent = files.find((x) => x.ref.id === f.id)!
      expect(path.dirname(f.savedTo)).toBe(outDir)
      expect(new Uint8Array(fs.readFileSync(f.savedTo))).toEqual(sent.plain)
      expect(fs.statSync(f.savedTo).mode & 0o777).toBe(0o600)
    }
    // The reporter's "../../" name led nowhere.
    expect(fs.readdirSync(dataDir).filter((n) => n.includes('HOSTILE') || n.includes('evil'))).toEqual([])
  })

  it('prints where each file went in text mode, and never overwrites a file already there', () => {
    const outDir = path.join(dataDir, 'out', 'evidence')
    fs.writeFileSync(path.join(outDir, `report-${n}-file-1.jpg`), 'kept')
    fs.rmSync(path.join(outDir, `report-${n}-message-1-file-1.txt`))
    const r = open('--files-out', outDir)
    expect(r.code).toBe(0)
    expect(r.stdout).toContain(`  Not saved: ${path.join(outDir, `report-${n}-file-1.jpg`)} already exists, and is left as it was.`)
    expect(r.stdout).toContain(`  Saved to ${path.join(outDir, `report-${n}-message-1-file-1.txt`)}`)
    expect(fs.readFileSync(path.join(outDir, `report-${n}-file-1.jpg`), 'utf8')).toBe('kept')
  })

  it('says so when a blob is missing or damaged, and still lists the rest', () => {
    const outDir = path.join(dataDir, 'out', 'evidence-2')
    fs.writeFileSync(path.join(dataDir, 'blobs', files[2].ref.id), new Uint8Array(fs.statSync(path.join(dataDir, 'blobs', files[2].ref.id)).size))
    fs.rmSync(path.join(dataDir, 'blobs', files[1].ref.id))
    const r = open('--files-out', outDir)
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('  Not saved: the stored file is damaged or incomplete.')
    expect(r.stdout).toContain(`  Not saved: it is not in ${path.join(dataDir, 'blobs')}.`)
    expect(fs.readdirSync(outDir)).toEqual([`report-${n}-file-1.jpg`])
  })
})
