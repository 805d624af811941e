/**
 * `npm run bench:v2`: what protocol v2 costs next to v1, measured side by side in one run, in
 * this process (no server): opening one message key's wrap, and the bytes a wrap adds to every
 * message; and what placing each message in a chained thread costs a reader. Both sides alternate round by round so that machine noise falls on both.
 */
import {
  deriveReporterKeys,
  fromB64,
  linkOf,
  logKey,
  newInboxKeys,
  newReceipt,
  openThreadAsReporter,
  publishKey,
  ready,
  sealReply,
  sealReport,
  type WireThread,
} from '../../crypto/index'
import { fmt, median } from './lib'
import { perOp, ratioRow, sideBySide, V1_WRAP_BYTES, V2_WRAP_BYTES, wrapOps } from './v2-measure'

const ROUNDS = Number(process.env.V2_ROUNDS ?? 7)
const PER_ROUND = Number(process.env.V2_PER_ROUND ?? 300)

await ready()
const w = sideBySide(wrapOps(), ROUNDS, PER_ROUND)
const row = (what: string, v1: number[], v2: number[]) => ratioRow(what, v1, v2)
console.log(`### Protocol v2 next to v1: ${ROUNDS} rounds of ${PER_ROUND} operations each, medians

| per message key | v1 (X25519 sealed box) | v2 (X-Wing wrap) | v2 / v1 |
|---|---|---|---|
${row('open a wrap (a reviewer listing or opening a report)', w.v1Open, w.v2Open)}
${row('make a wrap (sealing a report or a reply)', w.v1Make, w.v2Make)}
${ratioRow('bytes per wrap', V1_WRAP_BYTES, V2_WRAP_BYTES, 'B', 0)}`)

// Chained threads: what placing every message costs a reader, on top of opening it. The same
// thread of replies is sealed twice, v1 (no chain) and v2 (chained), and opened whole as the
// reporter's browser opens it; the difference per message is the link hash and the chain check.
const MESSAGES = Number(process.env.V2_THREAD_MESSAGES ?? 40)
const THREAD_ROUNDS = Number(process.env.V2_THREAD_ROUNDS ?? 15)
const inbox = newInboxKeys(1)
const published = publishKey(inbox)
const receipt = newReceipt()
const reporter = deriveReporterKeys(receipt)
const report = sealReport({ whatHappened: 'Names at parade' }, receipt, { ...published, inboxId: 'bench-inbox' })
const threadOf = (chained: boolean): WireThread => {
  const messages: WireThread['messages'] = []
  let prev = report.envelope
  for (let i = 1; i <= MESSAGES; i++) {
    const chain = chained ? { report: report.reportId, n: i, prev: linkOf(prev) } : null
    const envelope = sealReply(
      { text: `Reply ${i}: `.padEnd(400, 'x'), reviewer: 'Reviewer Wren', chain, state: chained ? { status: 'assessing' } : undefined },
      inbox,
      report.boxPk,
    )
    messages.push({ seq: i, author: 'reviewer', keyVersion: 1, envelope, day: '2026-12-01' })
    prev = envelope
  }
  return {
    reportId: report.reportId,
    receivedDay: '2026-12-01',
    status: 'assessing',
    envelope: report.envelope,
    selfNote: report.selfNote,
    keys: [published],
    log: logKey(inbox),
    messages,
    deleted: [],
  }
}
const v1Thread = threadOf(false)
const v2Thread = threadOf(true)
const perMessage = (t: WireThread) => {
  const start = performance.now()
  openThreadAsReporter(t, reporter)
  return ((performance.now() - start) * 1000) / MESSAGES
}
const v1Read: number[] = []
const v2Read: number[] = []
const linkCost: number[] = []
for (let r = 0; r < THREAD_ROUNDS; r++) {
  v1Read.push(perMessage(v1Thread))
  v2Read.push(perMessage(v2Thread))
  linkCost.push(perOp(() => linkOf(v2Thread.messages[0].envelope), PER_ROUND))
}
const plainBytes = (t: WireThread) => t.messages.reduce((n, m) => n + fromB64(m.envelope.body).length, 0) / MESSAGES
console.log(`
### Chained threads: a reporter opening a thread of ${MESSAGES} replies, ${THREAD_ROUNDS} rounds, medians per message

| per message | v1 (unchained) | v2 (chained, with signed state) | v2 / v1 |
|---|---|---|---|
${row('open, verify and place (openThreadAsReporter)', v1Read, v2Read)}
| of which the link hash | | ${fmt(median(linkCost))} µs | |
| sealed body bytes (padded) | ${fmt(plainBytes(v1Thread))} B | ${fmt(plainBytes(v2Thread))} B | ${fmt(plainBytes(v2Thread) / plainBytes(v1Thread), 2)}× |`)
