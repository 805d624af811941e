import { categoryLabel, readAnswers, roleLabel } from '#common/report-fields'
import { i18nService } from '../i18n.server'
import { STATUS_FOR_OPERATOR, type Status } from '#common/triage-rules'
import { type FileEntry, type InboxDocument, type MessageEntry, type ReportEntry } from './open-inbox.server'
import { QUOTE, quoted, quotedJson, quotedLine, visible } from './terminal-text.server'

// The tool speaks English; the labels are the catalogue's, as the pages show them.
const t = i18nService().translatorFor('en')

/**
 * `inbox:open` as text for a person at a terminal. Every line that carries a reporter's or a
 * reviewer's words starts with QUOTE and has its controls escaped; every other line is the
 * tool's own, and none of those starts with QUOTE.
 */
export function renderInbox(doc: InboxDocument): string {
  const out: string[] = [
    `Inbox: ${visible(doc.inbox.name)} (${visible(doc.inbox.id)}): ${doc.reports.length} report(s)`,
    `Lines starting with "${QUOTE.trim()}" are the words of a reporter or reviewer, with control characters shown as escapes such as \\x1b.`,
  ]
  for (const r of doc.reports) out.push('', ...renderReport(r))
  return out.join('\n')
}

const VERDICT = { verified: 'signature verified', 'not-verified': 'NOT VERIFIED: not shown as their words', 'cannot-open': 'cannot open' } as const

function renderReport(r: ReportEntry): string[] {
  const status = STATUS_FOR_OPERATOR[r.status as Status] ?? visible(r.status)
  const out = [`=== Report ${r.n} · received ${visible(r.receivedDay)} · ${status} · key version ${r.keyVersion} · id ${visible(r.id)}`]
  if (r.verdict === 'verified') out.push('  Report signature verified.')
  for (const w of r.warnings) out.push(`  WARNING: ${w}`)
  if (r.verdict === 'cannot-open') return out
  out.push(...renderAnswers(r.answers))
  out.push(...renderFiles(r.files, r.verdict === 'verified', 'the report'))
  for (const m of r.messages) out.push(...renderMessage(m))
  return out
}

/** A field: the tool's label, then the value as quoted lines (or the tool's "not said"). */
const field = (label: string, value: string | undefined) => (value ? [`  ${label}:`, ...quoted(value)] : [`  ${label}: not said`])

function renderAnswers(value: unknown): string[] {
  const a = readAnswers(value)
  if (!a) {
    return ['  The answers do not match the expected form of a report; shown as sent, as JSON:', ...quotedJson(value ?? null)]
  }
  return [
    // Only known categories pass readAnswers, so these labels are the tool's own words.
    `  Kind: ${a.categories.length ? a.categories.map((c) => categoryLabel(t, c)).join(', ') : 'none chosen'}`,
    ...field('What happened', a.whatHappened),
    ...field('When', a.when),
    ...field('Where / team', a.where),
    ...field('Who', a.who),
    `  How they know: ${roleLabel(t, a.role ?? '')}`,
    ...(a.contact ? field('Contact', a.contact) : ['  Contact: none (anonymous)']),
  ]
}

function renderMessage(m: MessageEntry): string[] {
  const who = m.author === 'reporter' ? 'Reporter' : m.author === 'reviewer' ? 'Reviewer' : 'Note'
  const out = [`  --- ${who} · ${visible(m.day)} · ${VERDICT[m.verdict]}`]
  if (m.verdict !== 'verified' || m.text === null) return out
  if (m.signedAs !== null) out.push(m.author === 'note' ? '  Written by:' : '  Shown to the reporter as:', quotedLine(m.signedAs), '  Text:')
  out.push(...quoted(m.text), ...renderFiles(m.files, true, `message ${m.seq}`))
  return out
}

function renderFiles(files: FileEntry[], verified: boolean, where: string): string[] {
  const out: string[] = []
  files.forEach((f, i) => {
    out.push(
      `  File ${i + 1} of ${files.length} with ${where} · ${f.size} bytes · id ${visible(f.id)}`,
      '  Name:',
      quotedLine(f.name),
      '  Type:',
      quotedLine(f.type),
    )
    if (f.savedTo) out.push(`  Saved to ${visible(f.savedTo)}`)
    else if (f.notSaved) out.push(`  Not saved: ${f.notSaved}`)
    else if (!verified) out.push('  Not extracted: the report signature does not verify.')
  })
  return out
}
