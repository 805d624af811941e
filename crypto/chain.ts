import type * as z from 'zod/mini'
import { concat, fromB64, toB64, utf8 } from './encoding'
import type { Envelope } from './envelope'
import { randomBytes } from './keys'
import { chainSchema } from './payloads'
import { sodium } from './sodium'

/**
 * Signed, chained threads (docs/protocol.md, "v2 · Chained threads"). Every v2 message names its
 * report, its place in the thread and the link of the message before it, inside what its author
 * signs; so a server that drops, reorders, repeats or forks messages shows the reader a chain
 * that does not hold, and the reader says where.
 *
 * A link is a hash of the envelope's body alone: the body is encrypted once, under a key that
 * only the wraps carry, so rewrapping a message for a new inbox key keeps its place in the chain,
 * and the server, which stores the bodies, can refuse a message written on an old head.
 */

/** A report id: 16 random bytes, chosen by the sealing browser so the report can sign it. */
export const newReportId = () => toB64(randomBytes(16))

export type ChainLink = z.infer<typeof chainSchema>

const LINK_LABEL = utf8('candour-thread-v2\n')
// A body that is not base64url is no envelope anyone sealed; it still gets a link of its own, under
// another label so it can never equal a real one, and a reader places it instead of failing.
const NOT_A_BODY_LABEL = utf8('candour-thread-v2-not-a-body\n')

/** The link the next message names as `prev`. Never throws: one bad entry must not stop a thread opening. */
export function linkOf(env: Pick<Envelope, 'body'>): string {
  let hashed: Uint8Array
  try {
    hashed = concat(LINK_LABEL, fromB64(env.body))
  } catch {
    hashed = concat(NOT_A_BODY_LABEL, utf8(String(env?.body)))
  }
  return toB64(sodium().crypto_generichash(32, hashed, null))
}

/** A thread's newest place: what a message written now extends, and what a reader records. */
export type ThreadHead = { n: number; link: string }

/**
 * One entry of a thread as its reader found it. `chain` is what the entry's author signed, or
 * null when it did not verify or carries none (v1); `deleted` is a gap the server says an admin
 * made, which it cannot make for a message it never stored (it keeps the deleted link).
 */
export type ChainStep = { link: string; chain: ChainLink | null; verified: boolean; deleted?: true }

/**
 * What each entry's place says, for the words shown beside it:
 * - ok: it follows the message before it, in this report;
 * - missing: the message it follows is not here ("a message is missing here");
 * - reordered: it was written before a message shown above it;
 * - repeated: the same message again (its words are not shown twice);
 * - forked: another message shown here follows the same one (two versions of the thread);
 * - misplaced: signed for another report, or unchained after chained messages: not this thread's;
 * - unchained: a v1 message before any chained one, which nothing can place;
 * - unverified / deleted: already shown as such; their links still count for what follows.
 */
export type ChainMark = 'ok' | 'missing' | 'reordered' | 'repeated' | 'forked' | 'misplaced' | 'unchained' | 'unverified' | 'deleted'

export type ChainCheck = {
  marks: ChainMark[]
  /** The newest entry found in place (the report when none is): what a reader records for next time. */
  head: ThreadHead
  /** False when a head recorded earlier is not in this thread: it was cut back, or forked. */
  holdsRecorded: boolean
}

/**
 * Checks a thread's entries in the order served. `root` is the report: the id it signed (for a v1
 * report, which signs none, the id it is served under), its link, and whether it is chained.
 * Entries that did not verify are not trusted for their place but are kept as links, so an honest
 * message after one still finds the message it follows.
 */
export function checkChain(root: { reportId: string; link: string; chained: boolean }, steps: ChainStep[], recorded?: ThreadHead): ChainCheck {
  const places = new Map<string, number | null>([[root.link, 0]])
  const followed = new Set<string>()
  let chained = root.chained
  let newest = 0
  let head: ThreadHead = { n: 0, link: root.link }
  const marks = steps.map((s): ChainMark => {
    if (places.has(s.link)) return 'repeated'
    places.set(s.link, s.verified && s.chain ? s.chain.n : null)
    if (s.deleted) return 'deleted'
    if (!s.verified) return 'unverified'
    if (!s.chain) return chained ? 'misplaced' : 'unchained'
    if (s.chain.report !== root.reportId) return 'misplaced'
    chained = true
    const before = places.get(s.chain.prev)
    let mark: ChainMark = 'ok'
    if (before === undefined) mark = s.chain.n <= newest ? 'reordered' : 'missing'
    else if (followed.has(s.chain.prev) || (before !== null && s.chain.n !== before + 1)) mark = 'forked'
    else if (s.chain.n <= newest) mark = 'reordered'
    followed.add(s.chain.prev)
    newest = Math.max(newest, s.chain.n)
    if (mark === 'ok' && s.chain.n > head.n) head = { n: s.chain.n, link: s.link }
    return mark
  })
  // A message served before the one it follows is out of order, not after a gap.
  steps.forEach((s, i) => {
    if (marks[i] === 'missing' && s.chain && places.has(s.chain.prev)) marks[i] = 'reordered'
  })
  return { marks, head, holdsRecorded: !recorded || places.get(recorded.link) === recorded.n }
}
