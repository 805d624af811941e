import fs from 'node:fs'
import path from 'node:path'
import { z } from 'zod'
import { fingerprint, fromB64, traceLog, type LogProblem } from '#crypto'
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
export class CannotWatch extends Error {
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

const PROBLEM: Record<LogProblem, string> = {
  empty: 'is empty',
  'too-long': 'is longer than any log a member could have written',
  malformed: 'has an entry that is not in the key log format',
  position: 'has an entry out of place',
  chain: 'has an entry that does not name the one before it',
  signature: 'has an entry not signed by the identity in force',
  'version-order': 'skips or repeats a key version',
  identity: 'starts from another identity',
  'not-extended': 'does not extend the log seen before',
}

export type WatchResult = { alarms: string[]; lines: string[] }

export function readState(file: string, site: string): State {
  let raw: string
  try {
    raw = fs.readFileSync(file, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { v: 1, site, inboxes: {} }
    throw new CannotWatch(`Could not read the state file ${file} (${(err as NodeJS.ErrnoException).code}).`)
  }
  let parsed: ReturnType<typeof stateSchema.safeParse>
  try {
    parsed = stateSchema.safeParse(JSON.parse(raw))
  } catch {
    throw new CannotWatch(`${file} is not a key-log:watch state file.`)
  }
  if (!parsed.success) throw new CannotWatch(`${file} is not a key-log:watch state file.`)
  if (parsed.data.site !== site) throw new CannotWatch(`${file} holds what was seen at ${parsed.data.site}, not ${site}: give each site its own state file.`)
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
    if (res.status !== 200) throw new CannotWatch(`${site}/api/key-log answered ${res.status}.`)
    body = res.bytes
  } catch (err) {
    if (err instanceof CannotWatch) throw err
    throw new CannotWatch(`Could not fetch ${site}/api/key-log: ${(err as Error).message}`)
  }
  let json: unknown
  try {
    json = JSON.parse(Buffer.from(body).toString('utf8'))
  } catch {
    throw new CannotWatch(`${site}/api/key-log did not answer with JSON.`)
  }
  const listing = listingSchema.safeParse(json)
  if (!listing.success) throw new CannotWatch(`${site}/api/key-log did not answer with a key log listing.`)
  return listing.data.inboxes
}

const printOf = (signPk: string) => fingerprint(fromB64(signPk))

/** What one inbox's log says against what was seen before: an alarm, or the state to keep. */
function judge(label: string, log: unknown[], seen: Seen | undefined): { alarm: string } | { next: Seen; line: string } | { line: string } {
  if (!seen && log.length === 0) return { line: `${label}: not logged yet` }
  if (seen && log.length === 0) return { alarm: `${label}: its key log is gone (it had ${seen.head.pos + 1} entries)` }
  const traced = traceLog(log, seen && { genesisSignPk: seen.genesisSignPk, extends: seen.head.hash })
  if (traced.ok) {
    const moved = seen ? traced.head.pos - seen.head.pos : undefined
    const news = moved === undefined ? 'first seen' : moved === 0 ? 'unchanged' : `${moved} new entr${moved === 1 ? 'y' : 'ies'}`
    return {
      next: { name: label, genesisSignPk: traced.genesisSignPk, head: traced.head },
      line: `${label}: fingerprint ${printOf(traced.genesisSignPk)}, ${traced.head.pos + 1} entries, head ${traced.head.hash} (${news})`,
    }
  }
  const at = traced.pos === undefined ? '' : ` at entry ${traced.pos}`
  if (!seen || (traced.problem !== 'not-extended' && traced.problem !== 'identity')) return { alarm: `${label}: its key log ${PROBLEM[traced.problem]}${at}` }
  // Traced alone, the log says which identity it names now, or where it ends.
  const alone = traceLog(log)
  if (traced.problem === 'identity')
    return {
      alarm: `${label}: its key log starts from another identity${alone.ok ? `, fingerprint ${printOf(alone.genesisSignPk)}` : ''}, not ${printOf(seen.genesisSignPk)}`,
    }
  // Not holding the head seen: shorter is a rollback, otherwise a fork.
  const ends = alone.ok ? alone.head.pos : log.length - 1
  return ends < seen.head.pos
    ? { alarm: `${label}: its key log was rolled back from ${seen.head.pos + 1} entries to ${ends + 1}` }
    : { alarm: `${label}: its key log was forked: it no longer holds entry ${seen.head.pos} (head ${seen.head.hash}) seen before` }
}

/** Checks every log at `site` against `stateFile`; the state moves forward only if nothing is wrong. */
export async function watchKeyLog(site: string, stateFile: string): Promise<WatchResult> {
  const state = readState(stateFile, site)
  const listed = await fetchListing(site)
  const alarms: string[] = []
  const lines: string[] = []
  const next: State = { v: 1, site, inboxes: {} }
  const ids = new Set<string>()
  for (const inbox of listed) {
    const label = `${inbox.id} "${visible(inbox.name)}"`
    if (ids.has(inbox.id)) {
      alarms.push(`${label}: listed twice`)
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
    if (!ids.has(id)) alarms.push(`${id} "${visible(seen.name)}": no longer listed (it had ${seen.head.pos + 1} entries)`)
  if (alarms.length === 0) writeState(stateFile, next)
  return { alarms, lines }
}
