import fs from 'node:fs'
import path from 'node:path'
import { z } from 'zod'
import { fingerprint, fromB64, traceLog, type LogProblem } from '#crypto'
import { Refusal, said, t, type Message } from '#common/i18n/message'
import { strangerGet } from './stranger-fetch.server'
import { visible } from './terminal-text.server'

/**
 * key-log:watch: every inbox's key log as a stranger is shown it, held to what this watcher saw
 * last time. A browser can only notice a log that moves backwards for itself; a watcher run from
 * elsewhere, on a schedule, notices a log rewritten for everyone, and one whose head differs from
 * the one other watchers or posters publish. Nothing it is told is trusted: each log is traced
 * here, and the state file is only ever moved forward along a log that extends it.
 */

/** Exit 2: the watcher could not look (usage, network, an answer that is not a key log listing). Exit 1 is an alarm. */
export class CannotWatch extends Refusal {
  readonly exitCode = 2
}

/** Ten thousand inboxes at the longest log: far beyond any force, and a bound on a hostile answer. */
const MAX_LISTING_BYTES = 64 * 1024 * 1024

const listingSchema = z.object({
  inboxes: z.array(z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/), name: z.string().max(1000), log: z.array(z.unknown()) })).max(10_000),
})

const stateSchema = z.strictObject({
  v: z.literal(1),
  site: z.string(),
  inboxes: z.record(
    z.string(),
    z.strictObject({ name: z.string(), genesisSignPk: z.string(), head: z.strictObject({ pos: z.number().int().min(0), hash: z.string() }) }),
  ),
})
type State = z.infer<typeof stateSchema>
type Seen = State['inboxes'][string]

const PROBLEM: Record<LogProblem, Message> = {
  empty: t('admin.keyLog.problem.empty'),
  'too-long': t('admin.keyLog.problem.tooLong'),
  malformed: t('admin.keyLog.problem.malformed'),
  position: t('admin.keyLog.problem.position'),
  chain: t('admin.keyLog.problem.chain'),
  signature: t('admin.keyLog.problem.signature'),
  'version-order': t('admin.keyLog.problem.versionOrder'),
  identity: t('admin.keyLog.problem.identity'),
  'not-extended': t('admin.keyLog.problem.notExtended'),
}

export type WatchResult = { alarms: Message[]; lines: Message[] }

export function readState(file: string, site: string): State {
  let raw: string
  try {
    raw = fs.readFileSync(file, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { v: 1, site, inboxes: {} }
    throw new CannotWatch(t('admin.keyLog.stateUnreadable', { file, code: String((err as NodeJS.ErrnoException).code) }))
  }
  let parsed: ReturnType<typeof stateSchema.safeParse> | undefined
  try {
    parsed = stateSchema.safeParse(JSON.parse(raw))
  } catch {
    parsed = undefined
  }
  if (!parsed?.success) throw new CannotWatch(t('admin.keyLog.notState', { file }))
  if (parsed.data.site !== site) throw new CannotWatch(t('admin.keyLog.otherSite', { file, seen: parsed.data.site, site }))
  return parsed.data
}

/** Written beside the old file and renamed over it, so a crash never leaves half a state. */
function writeState(file: string, state: State) {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`)
  fs.writeFileSync(tmp, JSON.stringify(state, null, 1) + '\n', { mode: 0o600 })
  fs.renameSync(tmp, file)
}

async function fetchListing(site: string) {
  let body: Uint8Array
  try {
    const res = await strangerGet(new URL('/api/key-log', site).href, MAX_LISTING_BYTES)
    if (res.status !== 200) throw new CannotWatch(t('admin.keyLog.answered', { site, status: res.status }))
    body = res.bytes
  } catch (err) {
    if (err instanceof CannotWatch) throw err
    throw new CannotWatch(t('admin.keyLog.cannotFetch', { site, reason: said(err) }))
  }
  let json: unknown
  try {
    json = JSON.parse(Buffer.from(body).toString('utf8'))
  } catch {
    throw new CannotWatch(t('admin.keyLog.notJson', { site }))
  }
  const listing = listingSchema.safeParse(json)
  if (!listing.success) throw new CannotWatch(t('admin.keyLog.notListing', { site }))
  return listing.data.inboxes
}

const printOf = (signPk: string) => fingerprint(fromB64(signPk))

/** What one inbox's log says against what was seen before: an alarm, or the state to keep. */
function judge(label: string, log: unknown[], seen: Seen | undefined): { alarm: Message } | { next: Seen; line: Message } | { line: Message } {
  if (!seen && log.length === 0) return { line: t('admin.keyLog.notLogged', { label }) }
  if (seen && log.length === 0) return { alarm: t('admin.keyLog.gone', { label, count: seen.head.pos + 1 }) }
  const traced = traceLog(log, seen && { genesisSignPk: seen.genesisSignPk, extends: seen.head.hash })
  if (traced.ok) {
    const moved = seen ? traced.head.pos - seen.head.pos : undefined
    const news =
      moved === undefined
        ? t('admin.keyLog.firstSeen')
        : moved === 0
          ? t('admin.keyLog.unchanged')
          : moved === 1
            ? t('admin.keyLog.oneNew')
            : t('admin.keyLog.manyNew', { count: moved })
    const line = { label, fingerprint: printOf(traced.genesisSignPk), count: traced.head.pos + 1, head: traced.head.hash, news }
    return { next: { name: label, genesisSignPk: traced.genesisSignPk, head: traced.head }, line: t('admin.keyLog.seen', line) }
  }
  if (!seen || (traced.problem !== 'not-extended' && traced.problem !== 'identity')) {
    const problem = PROBLEM[traced.problem]
    return { alarm: traced.pos === undefined ? t('admin.keyLog.bad', { label, problem }) : t('admin.keyLog.badAt', { label, problem, pos: traced.pos }) }
  }
  // Traced alone, the log says which identity it names now, or where it ends.
  const alone = traceLog(log)
  if (traced.problem === 'identity') {
    const was = printOf(seen.genesisSignPk)
    return {
      alarm: alone.ok
        ? t('admin.keyLog.otherIdentity', { label, now: printOf(alone.genesisSignPk), was })
        : t('admin.keyLog.otherIdentityUnread', { label, was }),
    }
  }
  // Not holding the head seen: shorter is a rollback, otherwise a fork.
  const ends = alone.ok ? alone.head.pos : log.length - 1
  return ends < seen.head.pos
    ? { alarm: t('admin.keyLog.rolledBack', { label, was: seen.head.pos + 1, now: ends + 1 }) }
    : { alarm: t('admin.keyLog.forked', { label, pos: seen.head.pos, head: seen.head.hash }) }
}

/** Checks every log at `site` against `stateFile`; the state moves forward only if nothing is wrong. */
export async function watchKeyLog(site: string, stateFile: string): Promise<WatchResult> {
  const state = readState(stateFile, site)
  const listed = await fetchListing(site)
  const alarms: Message[] = []
  const lines: Message[] = []
  const next: State = { v: 1, site, inboxes: {} }
  const ids = new Set<string>()
  for (const inbox of listed) {
    const label = `${inbox.id} "${visible(inbox.name)}"`
    if (ids.has(inbox.id)) {
      alarms.push(t('admin.keyLog.listedTwice', { label }))
      continue
    }
    ids.add(inbox.id)
    const verdict = judge(label, inbox.log, state.inboxes[inbox.id])
    if ('alarm' in verdict) alarms.push(verdict.alarm)
    else lines.push(verdict.line)
    if ('next' in verdict) next.inboxes[inbox.id] = { ...verdict.next, name: inbox.name }
  }
  // An inbox that disappears from the listing is one that reporters can no longer be sent to
  // honestly, or one hidden from this watcher; either way somebody should look.
  for (const [id, seen] of Object.entries(state.inboxes))
    if (!ids.has(id)) alarms.push(t('admin.keyLog.unlisted', { label: `${id} "${visible(seen.name)}"`, count: seen.head.pos + 1 }))
  if (alarms.length === 0) writeState(stateFile, next)
  return { alarms, lines }
}
