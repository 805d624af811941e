import { t, type Message } from '#common/i18n/message'
import { categoryLabel, readAnswers, roleLabel } from '#common/report-fields'
import type { Status } from '#common/triage-rules'
import type { Say, Speaker } from './language.server'
import { type FileEntry, type InboxDocument, type MessageEntry, type ReportEntry } from './open-inbox.server'
import { QUOTE, quoted, quotedJson, quotedLine, visible } from './terminal-text.server'

/** `inbox:open --json`: the document with its words said in one language (English, for scripts). */
export function saidIn(say: Say, doc: InboxDocument) {
  const files = (fs: FileEntry[]) => fs.map((f) => (f.notSaved ? { ...f, notSaved: say(f.notSaved) } : f))
  return {
    ...doc,
    reports: doc.reports.map((r) => ({
      ...r,
      warnings: r.warnings.map(say),
      files: files(r.files),
      messages: r.messages.map((m) => ({ ...m, files: files(m.files) })),
    })),
  }
}

const STATUS: Record<Status, Message> = {
  received: t('admin.open.status.received'),
  acknowledged: t('admin.open.status.acknowledged'),
  assessing: t('admin.open.status.assessing'),
  investigating: t('admin.open.status.investigating'),
  referred: t('admin.open.status.referred'),
  closed: t('admin.open.status.closed'),
}

const VERDICT = {
  verified: t('admin.open.verdict.verified'),
  'not-verified': t('admin.open.verdict.notVerified'),
  'cannot-open': t('admin.open.verdict.cannotOpen'),
} as const

/**
 * `inbox:open` as text for a person at a terminal, in their language. Every line that carries a
 * reporter's or a reviewer's words starts with QUOTE and has its controls escaped; every other
 * line is the tool's own, and none of those starts with QUOTE.
 */
export function renderInbox(doc: InboxDocument, speaker: Speaker): string {
  const { say } = speaker
  const out: string[] = [
    say(t('admin.open.inbox', { name: visible(doc.inbox.name), id: visible(doc.inbox.id), count: doc.reports.length })),
    say(t('admin.open.quoteNote', { mark: QUOTE.trim() })),
  ]
  for (const r of doc.reports) out.push('', ...renderReport(r, speaker))
  return out.join('\n')
}

function renderReport(r: ReportEntry, speaker: Speaker): string[] {
  const { say } = speaker
  const status = Object.hasOwn(STATUS, r.status) ? STATUS[r.status as Status] : visible(r.status)
  const out = [`=== ${say(t('admin.open.report', { n: r.n, day: visible(r.receivedDay), status, version: r.keyVersion, id: visible(r.id) }))}`]
  if (r.verdict === 'verified') out.push(`  ${say(t('admin.open.reportVerified'))}`)
  // "WARNING:" is for whatever searches this output, so it is the same in every language.
  for (const w of r.warnings) out.push(`  WARNING: ${say(w)}`)
  if (r.verdict === 'cannot-open') return out
  out.push(...renderAnswers(r.answers, speaker))
  out.push(...renderFiles(r.files, r.verdict === 'verified', t('admin.open.withReport'), say))
  for (const m of r.messages) out.push(...renderMessage(m, say))
  return out
}

function renderAnswers(value: unknown, { say, translate: words }: Speaker): string[] {
  /** A field: the tool's label, then the value as quoted lines (or the tool's "not said"). */
  const field = (label: Message, value: string | undefined) =>
    value ? [`  ${say(label)}:`, ...quoted(value)] : [`  ${say(label)}: ${say(t('admin.open.notSaid'))}`]
  const a = readAnswers(value)
  if (!a) return [`  ${say(t('admin.open.unexpected'))}`, ...quotedJson(value ?? null)]
  // Only known categories pass readAnswers, so these labels are the tool's own words.
  const kinds = a.categories.length ? a.categories.map((c) => categoryLabel(words, c)).join(', ') : say(t('admin.open.noKind'))
  return [
    `  ${say(t('admin.open.field.kind'))}: ${kinds}`,
    ...field(t('admin.open.field.what'), a.whatHappened),
    ...field(t('admin.open.field.when'), a.when),
    ...field(t('admin.open.field.where'), a.where),
    ...field(t('admin.open.field.who'), a.who),
    `  ${say(t('admin.open.field.role'))}: ${roleLabel(words, a.role ?? '')}`,
    ...(a.contact ? field(t('admin.open.field.contact'), a.contact) : [`  ${say(t('admin.open.field.contact'))}: ${say(t('admin.open.anonymous'))}`]),
  ]
}

const AUTHOR = { reporter: t('admin.open.author.reporter'), reviewer: t('admin.open.author.reviewer'), note: t('admin.open.author.note') } as const

function renderMessage(m: MessageEntry, say: Say): string[] {
  const out = [`  --- ${say(AUTHOR[m.author])} · ${visible(m.day)} · ${say(VERDICT[m.verdict])}`]
  if (m.verdict !== 'verified' || m.text === null) return out
  if (m.signedAs !== null) out.push(`  ${say(m.author === 'note' ? t('admin.open.writtenBy') : t('admin.open.shownAs'))}:`, quotedLine(m.signedAs))
  if (m.state) {
    const status = Object.hasOwn(STATUS, m.state.status) ? STATUS[m.state.status as Status] : visible(m.state.status)
    out.push(`  ${say(t('admin.open.signedState', { status }))}${m.state.outcome ? ` (${visible(m.state.outcome)})` : ''}`)
  }
  // A change of status has no words of its own; words under a name are labelled as the words.
  if (m.text) out.push(...(m.signedAs !== null ? [`  ${say(t('admin.open.text'))}:`] : []), ...quoted(m.text))
  out.push(...renderFiles(m.files, true, t('admin.open.withMessage', { seq: m.seq }), say))
  return out
}

function renderFiles(files: FileEntry[], verified: boolean, where: Message, say: Say): string[] {
  const out: string[] = []
  files.forEach((f, i) => {
    out.push(
      `  ${say(t('admin.open.file', { n: i + 1, count: files.length, where, size: f.size, id: visible(f.id) }))}`,
      `  ${say(t('admin.open.fileName'))}:`,
      quotedLine(f.name),
      `  ${say(t('admin.open.fileType'))}:`,
      quotedLine(f.type),
    )
    if (f.savedTo) out.push(`  ${say(t('admin.open.savedTo', { file: visible(f.savedTo) }))}`)
    else if (f.notSaved) out.push(`  ${say(t('admin.open.notSaved', { reason: f.notSaved }))}`)
    else if (!verified) out.push(`  ${say(t('admin.open.notExtracted'))}`)
  })
  return out
}
