import { openMessage, openReport, toB64, type Envelope } from '../../crypto/index'
import type { Store } from '../db/store.server'
import { categoryLabel, roleLabel, type Answers } from '../report-fields'
import { STATUS_FOR_OPERATOR, type Status } from '../triage-rules'
import type { readKeyFile } from './inbox-key-file.server'

type Keys = ReturnType<typeof readKeyFile>

/**
 * Opens every report of an offline inbox on the operator's machine and renders it as text.
 * Signatures are checked against the reporter key inside the first sealed report, never the
 * server's column, and against the inbox identity for replies.
 */
export async function openInbox(store: Store, keys: Keys): Promise<string> {
  const reports = await store.read.all<{ id: string; key_version: number; envelope: string; sign_pk: string; received_day: string; status: string }>(
    'SELECT id, key_version, envelope, sign_pk, received_day, status FROM reports WHERE inbox_id = ? ORDER BY received_day, id',
    [keys.inboxId],
  )
  const out: string[] = [`Inbox: ${keys.name} (${keys.inboxId}): ${reports.length} report(s)`]
  const identityPk = toB64(keys.identity.publicKey)
  for (const [n, r] of reports.entries()) {
    out.push('', `=== Report ${n + 1} · received ${r.received_day} · ${STATUS_FOR_OPERATOR[r.status as Status] ?? r.status}`)
    const inboxKey = keys.encryption.get(r.key_version)
    if (!inboxKey) {
      out.push(`  cannot open: sealed to key version ${r.key_version}, which this key file does not hold`)
      continue
    }
    let reporterSignPk: string
    try {
      const report = openReport(JSON.parse(r.envelope) as Envelope, { as: 'inbox', inbox: inboxKey })
      reporterSignPk = report.reporter.signPk
      if (!report.verified) out.push('  WARNING: the report signature does not verify')
      if (report.reporter.signPk !== r.sign_pk) out.push("  WARNING: the server's reporter key differs from the sealed one")
      out.push(...renderAnswers(report.answers as Answers))
    } catch {
      out.push('  cannot open: the sealed report is damaged or not for this inbox')
      continue
    }
    const messages = await store.read.all<{ seq: number; author_kind: string; key_version: number; envelope: string; created_day: string }>(
      'SELECT seq, author_kind, key_version, envelope, created_day FROM messages WHERE report_id = ? ORDER BY seq',
      [r.id],
    )
    for (const m of messages) {
      const key = keys.encryption.get(m.key_version)
      const who = m.author_kind === 'reporter' ? 'Reporter' : m.author_kind === 'reviewer' ? 'Reviewer' : 'Note'
      try {
        if (!key) throw new Error('no key')
        const msg = openMessage(JSON.parse(m.envelope) as Envelope, { as: 'inbox', inbox: key }, { reporterSignPk, inboxSignPk: identityPk })
        const author = msg.kind === 'followup' ? 'reporter' : 'reviewer'
        const ok = msg.verified && author === m.author_kind
        out.push(`  --- ${who} · ${m.created_day}${ok ? ' · signature verified' : ' · NOT VERIFIED: not shown as their words'}`)
        if (ok) out.push(indent(msg.text))
      } catch {
        out.push(`  --- ${who} · ${m.created_day} · cannot open`)
      }
    }
  }
  return out.join('\n')
}

function renderAnswers(a: Answers): string[] {
  return [
    `  Kind: ${a.categories.map(categoryLabel).join(', ')}`,
    `  What happened:`,
    indent(a.whatHappened),
    `  When: ${a.when || 'not said'}`,
    `  Where / team: ${a.where || 'not said'}`,
    `  Who: ${a.who || 'not said'}`,
    `  How they know: ${roleLabel(a.role)}`,
    `  Contact: ${a.contact || 'none (anonymous)'}`,
  ]
}

const indent = (text: string) => text.split('\n').map((l) => `    ${l}`).join('\n')
