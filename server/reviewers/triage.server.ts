import { createHash } from 'node:crypto'
import { z } from 'zod'
import type { Envelope } from '../../crypto/index'
import { appendAudit, readAudit } from '../audit.server'
import type { Connection, Store } from '../db/store.server'
import { UserError } from '../errors.server'
import { insertMessage, type MessageAuthor, type StoredMessage } from '../reports.server'
import { envelopeSchema, inboxIdSchema } from '../wire.server'
import type { memberService } from './members.server'
import { parseInput } from '../wire.server'

/**
 * Reviewers reading and answering reports. The server hands out opaque envelopes and stores
 * opaque answers: it checks who asks (a live MEMBER of the report's inbox, on every call), the
 * envelope's shape and that it was sealed to the inbox's current key. Opening, replies and notes
 * are audited with the report id as subject, which is what the "who opened this" trail reads.
 */

const reportIdSchema = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, 'unknown report')
const keyVersionSchema = z.number().int().min(1).max(1_000_000)
// A note is for the inbox only: a reporter wrap would be a copy meant for someone else, so it is refused.
const noteEnvelopeSchema = envelopeSchema.omit({ reporter: true })

const listSchema = z.strictObject({ inboxId: inboxIdSchema })
const openSchema = z.strictObject({ reportId: reportIdSchema })
const replySchema = z.strictObject({ reportId: reportIdSchema, keyVersion: keyVersionSchema, envelope: envelopeSchema })
const noteSchema = z.strictObject({ reportId: reportIdSchema, keyVersion: keyVersionSchema, envelope: noteEnvelopeSchema })

// Fixed lists: changing them renames every report and reviewer, so only ever append.
const ADJECTIVES = ['Amber', 'Ash', 'Birch', 'Blue', 'Bright', 'Calm', 'Cedar', 'Clear', 'Copper', 'Coral', 'Crisp', 'Dawn', 'Deep', 'Dune', 'Elm', 'Fern', 'Flint', 'Frost', 'Gold', 'Granite', 'Green', 'Hazel', 'Ivory', 'Jade', 'Juniper', 'Lark', 'Linen', 'Maple', 'Meadow', 'Mist', 'Moss', 'Oak', 'Olive', 'Opal', 'Pearl', 'Pine', 'Quiet', 'Rain', 'Reed', 'River', 'Rose', 'Rowan', 'Rust', 'Sage', 'Salt', 'Sand', 'Silver', 'Slate', 'Snow', 'Spruce', 'Stone', 'Storm', 'Summer', 'Swift', 'Teal', 'Thistle', 'Tide', 'Violet', 'Willow', 'Winter', 'Wren', 'Yew', 'Zephyr', 'Indigo']
const NOUNS = ['Anchor', 'Arch', 'Bay', 'Beacon', 'Bridge', 'Brook', 'Canyon', 'Cape', 'Cliff', 'Cove', 'Creek', 'Crest', 'Delta', 'Dell', 'Field', 'Fjord', 'Ford', 'Forest', 'Garden', 'Glade', 'Glen', 'Grove', 'Harbour', 'Heath', 'Hill', 'Hollow', 'Island', 'Lagoon', 'Lake', 'Lantern', 'Ledge', 'Marsh', 'Mesa', 'Mill', 'Moor', 'Orchard', 'Pass', 'Path', 'Peak', 'Pier', 'Pond', 'Quarry', 'Ridge', 'Sound', 'Spring', 'Stream', 'Summit', 'Terrace', 'Tower', 'Trail', 'Vale', 'Valley', 'View', 'Well', 'Wharf', 'Wood', 'Yard', 'Gate', 'Haven', 'Knoll', 'Lea', 'Loch', 'Shore', 'Weir']
const BIRDS = ['Avocet', 'Bittern', 'Bunting', 'Buzzard', 'Chaffinch', 'Chiffchaff', 'Crane', 'Curlew', 'Dipper', 'Dunlin', 'Dunnock', 'Egret', 'Eider', 'Fieldfare', 'Firecrest', 'Fulmar', 'Gannet', 'Godwit', 'Goldcrest', 'Goldfinch', 'Goshawk', 'Grebe', 'Greenfinch', 'Guillemot', 'Harrier', 'Heron', 'Hobby', 'Hoopoe', 'Jackdaw', 'Kestrel', 'Kingfisher', 'Kittiwake', 'Lapwing', 'Linnet', 'Mallard', 'Martin', 'Merlin', 'Nightingale', 'Nightjar', 'Nuthatch', 'Oriole', 'Osprey', 'Ouzel', 'Peregrine', 'Petrel', 'Pipit', 'Plover', 'Puffin', 'Redpoll', 'Redshank', 'Redstart', 'Redwing', 'Robin', 'Sanderling', 'Shearwater', 'Siskin', 'Skylark', 'Starling', 'Stonechat', 'Swallow', 'Swift', 'Tern', 'Wagtail', 'Warbler']

const digest = (label: string, id: string) => createHash('sha256').update(`candour-${label}-v1\n${id}`).digest()

/** Two words from the random report id (never the receipt), so reviewers can talk about a report. */
export function reportPseudonym(reportId: string): string {
  const h = digest('report-name', reportId)
  return `${ADJECTIVES[h[0] % ADJECTIVES.length]} ${NOUNS[h[1] % NOUNS.length]}`
}

/** What reporters see instead of a reviewer's name: stable per reviewer, names no one. */
export function reviewerPseudonym(reviewerId: string): string {
  return `Reviewer ${BIRDS[digest('reviewer-name', reviewerId)[0] % BIRDS.length]}`
}

type ReportRow = { id: string; inbox_id: string; key_version: number; envelope: string; received_day: string; status: string }
type MessageRow = { seq: number; author_kind: MessageAuthor; key_version: number; envelope: string; created_day: string }

const TRAIL_ACTIONS = ['report.open', 'report.reply', 'report.note', 'report.status']

export function triageService(store: Store, members: ReturnType<typeof memberService>) {
  async function requireMember(conn: Connection, inboxId: string, reviewerId: string) {
    const inbox = await conn.get<{ name: string; current: number }>(
      'SELECT name, (SELECT MAX(key_version) FROM inbox_keys WHERE inbox_id = i.id) AS current FROM inboxes i WHERE id = ?',
      [inboxId],
    )
    if (!inbox) throw new UserError(404, 'That inbox does not exist.')
    const member = await conn.get('SELECT 1 AS x FROM inbox_members WHERE inbox_id = ? AND reviewer_id = ?', [inboxId, reviewerId])
    if (!member) throw new UserError(403, 'Only members of this inbox can read or answer its reports.')
    return inbox
  }

  /** The report, after checking the reviewer is a member of its inbox. */
  async function reportFor(conn: Connection, reportId: string, reviewerId: string) {
    const row = await conn.get<ReportRow>('SELECT id, inbox_id, key_version, envelope, received_day, status FROM reports WHERE id = ?', [reportId])
    if (!row) throw new UserError(404, 'This report does not exist.')
    return { row, inbox: await requireMember(conn, row.inbox_id, reviewerId) }
  }

  const toMessage = (m: MessageRow): StoredMessage => ({
    seq: m.seq,
    author: m.author_kind,
    keyVersion: m.key_version,
    envelope: JSON.parse(m.envelope) as Envelope,
    day: m.created_day,
  })

  /** Audit entries about the report, with the acting reviewers' names (this is a reviewer-only view). */
  async function trail(conn: Connection, reportId: string) {
    const entries = (await readAudit(conn, { subject: reportId })).filter((e) => TRAIL_ACTIONS.includes(e.action))
    const ids = [...new Set(entries.map((e) => e.actor.replace(/^reviewer:/, '')))]
    const names = new Map<string, string>()
    for (const id of ids) {
      const r = await conn.get<{ display_name: string }>('SELECT display_name FROM reviewers WHERE id = ?', [id])
      if (r) names.set(id, r.display_name)
    }
    return entries.map((e) => {
      const id = e.actor.replace(/^reviewer:/, '')
      return { at: e.at, action: e.action, reviewerId: id, displayName: names.get(id) ?? 'A former reviewer' }
    })
  }

  /** A reply or note: validated, sealed to the current key, stored with its audit entry. */
  async function write(reviewerId: string, author: 'reviewer' | 'note', input: { reportId: string; keyVersion: number; envelope: Envelope }) {
    await members.actor(reviewerId)
    return store.transaction(async (tx) => {
      const { row, inbox } = await reportFor(tx, input.reportId, reviewerId)
      if (input.keyVersion !== inbox.current) throw new UserError(409, 'This inbox has a newer key. Reload the page, unlock again and resend.')
      const message = await insertMessage(tx, row.id, author, input.keyVersion, input.envelope)
      const actor = `reviewer:${reviewerId}`
      await appendAudit(tx, { actor, action: author === 'note' ? 'report.note' : 'report.reply', subject: row.id, detail: { seq: message.seq } })
      let status = row.status
      // A first reply is the acknowledgement the reporter is waiting for.
      if (author === 'reviewer' && status === 'received') {
        status = 'acknowledged'
        await tx.run("UPDATE reports SET status = 'acknowledged' WHERE id = ?", [row.id])
        await appendAudit(tx, { actor, action: 'report.status', subject: row.id, detail: { from: 'received', to: status } })
      }
      return { message, status }
    })
  }

  return {
    /** An inbox's reports as opaque rows, newest activity first; the browser opens them. */
    async list(reviewerId: string, raw: unknown) {
      const me = await members.actor(reviewerId)
      const { inboxId } = parseInput(listSchema, raw)
      const inbox = await requireMember(store.read, inboxId, reviewerId)
      const rows = await store.read.all<ReportRow & { messages: number; last_day: string | null }>(
        `SELECT r.id, r.key_version, r.envelope, r.received_day, r.status,
                (SELECT COUNT(*) FROM messages m WHERE m.report_id = r.id) AS messages,
                (SELECT MAX(created_day) FROM messages m WHERE m.report_id = r.id) AS last_day
         FROM reports r WHERE r.inbox_id = ?`,
        [inboxId],
      )
      const reports = rows
        .map((r) => ({
          id: r.id,
          pseudonym: reportPseudonym(r.id),
          keyVersion: r.key_version,
          envelope: JSON.parse(r.envelope) as Envelope,
          receivedDay: r.received_day,
          status: r.status,
          messageCount: r.messages,
          lastActivityDay: r.last_day ?? r.received_day,
        }))
        // Sorted here, not by the random id, so the order says nothing the days do not already say.
        .sort((a, b) => b.lastActivityDay.localeCompare(a.lastActivityDay) || a.pseudonym.localeCompare(b.pseudonym))
      return { inbox: { id: inboxId, name: inbox.name, keyVersion: inbox.current }, reviewerName: reviewerPseudonym(me.id), reports }
    },

    /** Opens one report for reading; every opening is recorded, and the trail returned includes it. */
    async open(reviewerId: string, raw: unknown) {
      const me = await members.actor(reviewerId)
      const { reportId } = parseInput(openSchema, raw)
      return store.transaction(async (tx) => {
        const { row, inbox } = await reportFor(tx, reportId, reviewerId)
        await appendAudit(tx, { actor: `reviewer:${reviewerId}`, action: 'report.open', subject: row.id })
        const messages = await tx.all<MessageRow>(
          'SELECT seq, author_kind, key_version, envelope, created_day FROM messages WHERE report_id = ? ORDER BY seq',
          [row.id],
        )
        return {
          report: {
            id: row.id,
            pseudonym: reportPseudonym(row.id),
            inboxId: row.inbox_id,
            inboxName: inbox.name,
            keyVersion: row.key_version,
            envelope: JSON.parse(row.envelope) as Envelope,
            receivedDay: row.received_day,
            status: row.status,
          },
          currentKeyVersion: inbox.current,
          me: { displayName: me.display_name, pseudonym: reviewerPseudonym(me.id) },
          messages: messages.map(toMessage),
          trail: await trail(tx, row.id),
        }
      })
    },

    reply: (reviewerId: string, raw: unknown) => write(reviewerId, 'reviewer', parseInput(replySchema, raw)),
    note: (reviewerId: string, raw: unknown) => write(reviewerId, 'note', parseInput(noteSchema, raw)),
  }
}

export type TriageService = ReturnType<typeof triageService>
