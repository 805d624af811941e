/**
 * The part of `npm run bench:inbox` that says what protocol v2 would cost this listing: per
 * report, opening its message key's wrap (v1 sealed box against v2 X-Wing unwrap), placing each
 * message in its chain, and the bytes a v2 wrap adds to the list answer. Measured in Node, in the
 * bench's own process once the browser runs are over, on the seeded reports' own envelopes.
 */
import { fromB64, openReport, type Envelope } from '../../crypto/index'
import { fmt, median } from './lib'
import { chainCheck, ratioOf, ratioRow, sideBySide, V1_WRAP_BYTES, V2_WRAP_BYTES, WRAP_JSON_GROWTH, wrapOps } from './v2-measure'

// Many short rounds: on a shared machine the median then falls on quiet moments more often.
const ROUNDS = Number(process.env.INBOX_V2_ROUNDS ?? 25)
const PER_ROUND = Number(process.env.INBOX_V2_PER_ROUND ?? 100)
// Links are hashed per message; a thread this long puts the check's own cost per message in view.
const THREAD = 40

export type ListingFacts = {
  /** Seeded report envelopes (the more, the more body sizes the figures cover). */
  envelopes: Envelope[]
  key: { publicKey: string; privateKey: string }
  reports: number
  followups: number
  /** The list API's answer, bytes (median over the runs). */
  listBytes: number
  /** What the page took to open and verify one report (open only, median), µs. */
  pageOpenUs: number
}

export function inboxV2Costs(f: ListingFacts): string {
  const inbox = { publicKey: fromB64(f.key.publicKey), privateKey: fromB64(f.key.privateKey) }
  const wraps = wrapOps()
  let i = 0
  const whole = () => void openReport(f.envelopes[i++ % f.envelopes.length], { as: 'inbox', inbox })
  const chain = chainCheck(f.envelopes.slice(0, THREAD))
  const t = sideBySide({ v1Open: wraps.v1Open, v2Open: wraps.v2Open, whole, chain }, ROUNDS, PER_ROUND)
  const place = t.chain.map((us) => us / Math.min(THREAD, f.envelopes.length))
  const [v1Open, v2Open, open, link] = [median(t.v1Open), median(t.v2Open), median(t.whole), median(place)]
  // v2's whole open is v1's with the wrap swapped and the chain placed; nothing else changes.
  const v2Whole = open - v1Open + v2Open + link
  const perReport = f.listBytes / f.reports
  const messages = f.reports + f.followups
  const n = f.reports.toLocaleString('en-GB')
  const ms = (us: number, count: number) => `${fmt((us * count) / 1000, 0)} ms`
  const mib = (b: number) => `${fmt(b / 2 ** 20, 1)} MiB`
  return `### Protocol v2 next to v1 for this listing (bench:inbox): in Node, ${ROUNDS} rounds of ${PER_ROUND} operations, both sides alternating, medians (v2 / v1: median of the rounds’ own ratios)

| per report in the listing | v1 | v2 | v2 / v1 |
|---|---|---|---|
${ratioRow('open its message key’s wrap (v1 sealed box to I.pk; v2 X-Wing `unwrap`)', t.v1Open, t.v2Open)}
${ratioRow(`place it in its thread (\`linkOf\` + \`checkChain\`, per message, threads of ${THREAD}; v1 has no chain)`, null, place)}
${ratioRow('whole open of a seeded report (`openReport`; v2 = v1 less the sealed box, plus X-Wing and the chain)', open, v2Whole)}
${ratioRow('bytes of the message key’s wrap', V1_WRAP_BYTES, V2_WRAP_BYTES, 'B', 0)}
${ratioRow(`list answer bytes per report (JSON; v2 = v1 + ${WRAP_JSON_GROWTH} B of base64url)`, perReport, perReport + WRAP_JSON_GROWTH, 'B', 0)}

Projected for this listing, from the medians above: **${n} reports: v1 ${ms(v1Open, f.reports)}, v2 ${ms(v2Open, f.reports)} of public-key work**
(opening every report’s wrap, ${fmt(ratioOf(t.v1Open, t.v2Open), 2)}×); placing all ${messages.toLocaleString('en-GB')} messages (reports and follow-ups) in their chains adds ${ms(link, messages)};
opening every report whole goes from ${ms(open, f.reports)} to ${ms(v2Whole, f.reports)} (${fmt(v2Whole / open, 2)}×); the list answer from ${mib(f.listBytes)} to ${mib(f.listBytes + WRAP_JSON_GROWTH * f.reports)} (${fmt((perReport + WRAP_JSON_GROWTH) / perReport, 2)}×).
These are Node’s figures: the page opened and verified each report in ${fmt(f.pageOpenUs, 0)} µs (open only, above) against Node’s ${fmt(open, 0)} µs here.`
}
