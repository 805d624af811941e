import nodemailer, { type Transporter } from 'nodemailer'
import { z } from 'zod'
import { appendAudit } from './audit.server'
import type { Config } from './config.server'
import {
  anyRemovedReviewersDigest,
  countRows,
  deleteDigest,
  deleteRemovedReviewersDigests,
  digestOf,
  liveDigests,
  markDigestSent,
  upsertDigest,
} from './db/digests.server'
import { inboxNames } from './db/inboxes.server'
import type { Store } from './db/store.server'
import { today as todayUtc } from '#common/days'
import { UserError } from '#common/errors'
import { errorName, log } from './log.server'
import type { memberService } from './reviewers/members.server'
import { clocks } from '#common/triage-rules'
import { parseInput } from '#common/wire'
import { withLang } from '#common/i18n/lang-url'
import type { Translate } from '#common/i18n/translate'
import type { I18nService } from './i18n.server'

/**
 * Reviewers' opt-in email digest (ADR 0016): how many reports in each of their inboxes want
 * attention, and nothing else. It is built only from what the server already holds in clear
 * (read marks, days, statuses), so it cannot carry what a reporter wrote even by mistake: no
 * pseudonym, category, report id or other reviewer's name goes in. Reporters are never emailed.
 */

export const DIGEST_INTERVALS = ['hourly', 'daily', 'weekly'] as const
export type DigestInterval = (typeof DIGEST_INTERVALS)[number]

const HOUR = 3_600_000
const INTERVAL_MS: Record<DigestInterval, number> = { hourly: HOUR, daily: 24 * HOUR, weekly: 7 * 24 * HOUR }

const settingsSchema = z
  .strictObject({
    // null turns the digest off and forgets the address.
    email: z.email('errors.digest.email').max(254, 'errors.digest.emailLong').nullable(),
    every: z.enum(DIGEST_INTERVALS, 'errors.digest.every').optional(),
  })
  .refine((v) => v.email === null || v.every !== undefined, { message: 'errors.digest.everyNeeded', path: ['every'] })

/** What one inbox has for this reviewer. The field order is fixed: last_counts compares the JSON text. */
type InboxCounts = { inboxId: string; newReports: number; newMessages: number; overdue: number; deleting: number }

/** "3 new reports, 2 reports with new messages": only the counts that are not zero. */
function describe(c: InboxCounts, t: Translate): string {
  const n = c.newReports
  const m = c.newMessages
  const o = c.overdue
  const d = c.deleting
  return [
    n && (n === 1 ? t('digest.counts.newReports.one', { n }) : t('digest.counts.newReports.many', { n })),
    m && (m === 1 ? t('digest.counts.newMessages.one', { n: m }) : t('digest.counts.newMessages.many', { n: m })),
    o && (o === 1 ? t('digest.counts.overdue.one', { n: o }) : t('digest.counts.overdue.many', { n: o })),
    d && (d === 1 ? t('digest.counts.deleting.one', { n: d }) : t('digest.counts.deleting.many', { n: d })),
  ]
    .filter(Boolean)
    .join(', ')
}

const EVERY = {
  hourly: (t: Translate) => t('digest.every.hourly'),
  daily: (t: Translate) => t('digest.every.daily'),
  weekly: (t: Translate) => t('digest.every.weekly'),
} satisfies Record<DigestInterval, (t: Translate) => string>

/**
 * The whole email body, in English and then in Welsh (every language the portal speaks): a digest
 * has no page to take a language from, and asking each reviewer for one would store a preference
 * about them. Counts per inbox by name, a link in that language, and how to stop it.
 */
export function digestText(inboxes: Array<{ name: string; counts: InboxCounts }>, publicUrl: URL, every: DigestInterval, i18n: I18nService): string {
  const block = (lang: string) => {
    const t = i18n.translatorFor(lang)
    const link = (path: string) => new URL(withLang(path, lang), publicUrl).href
    return [
      t('digest.intro'),
      '',
      ...inboxes.map((i) => t('digest.inInbox', { counts: describe(i.counts, t), inbox: i.name })),
      '',
      t('digest.signIn', { url: link('/review') }),
      '',
      t('digest.countsOnly'),
      t('digest.upToYesterday'),
      t('digest.atMost', { every: EVERY[every](t), url: link('/review/settings') }),
      '',
    ].join('\n')
  }
  return i18n.languages.map((l) => block(l.code)).join('\n---\n\n')
}

/** The subject in every language the portal speaks, English first. */
export const digestSubject = (i18n: I18nService) =>
  i18n.languages
    .map((l) => {
      const t = i18n.translatorFor(l.code)
      return t('digest.subject')
    })
    .join(' | ')

export function digestService(store: Store, members: ReturnType<typeof memberService>, config: Config, i18n: I18nService) {
  // Made on first use, so a server without SMTP_URL never loads a transport.
  let transport: Transporter | undefined
  const mailer = () => (transport ??= nodemailer.createTransport(config.smtpUrl))
  const enabled = config.smtpUrl !== undefined

  /**
   * Per inbox the reviewer is a member of, the non-zero counts, as of `today`. Reports and
   * reporter messages count only from the day after they arrived: counted as they came, a
   * digest sent minutes after a quiet spell would date an arrival to the minute, where the
   * database keeps it to the day. Held back a day, the counts change only at midnight (UTC) or
   * when a reviewer acts, so a send time says no more than "on some earlier day".
   */
  async function countsFor(reviewerId: string, today: string) {
    const rows = await countRows(store.read, reviewerId, today)
    const byInbox = new Map<string, InboxCounts>()
    for (const r of rows) {
      const c = byInbox.get(r.inbox_id) ?? { inboxId: r.inbox_id, newReports: 0, newMessages: 0, overdue: 0, deleting: 0 }
      const clock = clocks(
        {
          receivedDay: r.received_day,
          acknowledgedDay: r.acknowledged_day,
          feedbackDay: r.feedback_day,
          closedDay: r.closed_day,
          retentionDays: r.retention_days,
        },
        today,
      )
      if (r.never_opened) c.newReports++
      if (r.new_messages) c.newMessages++
      // Still owed: a late acknowledgement already given is no longer something to act on.
      if (!r.acknowledged_day && clock.acknowledge.overdue) c.overdue++
      if (r.status === 'closed' && clock.deletionSoon) c.deleting++
      byInbox.set(r.inbox_id, c)
    }
    return [...byInbox.values()]
      .filter((c) => c.newReports || c.newMessages || c.overdue || c.deleting)
      .sort((a, b) => (a.inboxId < b.inboxId ? -1 : a.inboxId > b.inboxId ? 1 : 0))
  }

  const service = {
    enabled,

    /** The reviewer's own settings, for the settings page. */
    async get(reviewerId: string) {
      const row = await digestOf(store.read, reviewerId)
      return { enabled, email: row?.email ?? null, every: row?.every ?? null, lastSentAt: row?.last_sent_at ?? null }
    },

    /** Sets or clears the signed-in reviewer's digest; there is no way to name anyone else's. */
    async set(reviewerId: string, raw: unknown) {
      await members.actor(reviewerId)
      const input = parseInput(settingsSchema, raw)
      if (input.email !== null && !enabled) throw new UserError(409, 'errors.digest.off')
      const actor = `reviewer:${reviewerId}`
      await store.transaction(async (tx) => {
        if (input.email === null) {
          const { changes } = await deleteDigest(tx, reviewerId)
          if (changes) await appendAudit(tx, { actor, action: 'digest.off', subject: reviewerId })
          return
        }
        // A new address has been sent nothing yet; the interval still counts from the last send.
        await upsertDigest(tx, reviewerId, input.email, input.every!)
        // The address stays out of the audit log: it is a setting, not an action on anyone's report.
        await appendAudit(tx, { actor, action: 'digest.set', subject: reviewerId, detail: { every: input.every! } })
      })
      return service.get(reviewerId)
    },

    /** Digests whose interval has passed (or that were never sent), for live reviewers. */
    async due(now: Date = new Date()) {
      const rows = await liveDigests(store.read)
      return rows.filter((d) => d.last_sent_at === null || Date.parse(d.last_sent_at) + INTERVAL_MS[d.every] <= now.getTime())
    },

    /**
     * Sends each due digest that has something new to say. A failure is logged by error name
     * only (its text can quote the address) and leaves the row as it was, so the next check retries.
     */
    async sendDue(now: Date = new Date()): Promise<{ sent: number; failed: number }> {
      if (!enabled) return { sent: 0, failed: 0 }
      // A removed reviewer's address has no further use.
      if (await anyRemovedReviewersDigest(store.read)) await store.transaction((tx) => deleteRemovedReviewersDigests(tx))
      const today = todayUtc(now)
      let sent = 0
      let failed = 0
      for (const d of await service.due(now)) {
        const counts = await countsFor(d.reviewer_id, today)
        const canonical = JSON.stringify(counts)
        if (counts.length === 0 || canonical === d.last_counts) continue
        const names = new Map(
          (
            await inboxNames(
              store.read,
              counts.map((c) => c.inboxId),
            )
          ).map((i) => [i.id, i.name]),
        )
        const inboxes = counts.map((c) => ({ name: names.get(c.inboxId) ?? 'an inbox', counts: c }))
        const text = digestText(inboxes, config.publicUrl, d.every, i18n)
        try {
          await mailer().sendMail({ from: config.digestFrom, to: d.email, subject: digestSubject(i18n), text })
        } catch (err) {
          failed++
          log.warn({ error: errorName(err) }, 'digest: sending failed; it is retried at the next check')
          continue
        }
        // Only if the address is unchanged: a new one has been sent nothing yet.
        await store.transaction((tx) => markDigestSent(tx, d.reviewer_id, d.email, now.toISOString(), canonical))
        sent++
      }
      if (sent || failed) log.info({ sent, failed }, 'digest: check done')
      return { sent, failed }
    },

    /** Checks now and then every `seconds`, one check at a time; returns a stop function. Off without SMTP. */
    schedule(seconds: number) {
      if (!enabled) return () => undefined
      let running: Promise<unknown> | undefined
      const run = () => {
        if (running) return
        running = service
          .sendDue()
          .catch((err) => log.error({ error: errorName(err) }, 'digest check failed'))
          .finally(() => (running = undefined))
      }
      run()
      const timer = setInterval(run, seconds * 1000)
      timer.unref()
      return () => {
        clearInterval(timer)
        transport?.close()
      }
    },
  }
  return service
}

export type DigestService = ReturnType<typeof digestService>
