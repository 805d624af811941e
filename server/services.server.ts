import type { Config } from './config.server'
import { migrate } from './db/migrate.server'
import { Store } from './db/store.server'
import { inboxService } from './inboxes.server'
import { powGate } from './pow.server'
import { formBudget } from './rate-limits.server'
import { reporterAuth } from './reporter-auth.server'
import { reportService } from './reports.server'
import { passkeyService } from './reviewers/passkeys.server'
import { pinService } from './reviewers/pins.server'
import { reviewerService } from './reviewers/reviewers.server'
import { reviewerSessions } from './reviewers/sessions.server'
import { relyingParty } from './reviewers/webauthn.server'
import { inboxCustody } from './reviewers/inbox-custody.server'
import { inviteService } from './reviewers/invites.server'
import { memberService } from './reviewers/members.server'
import { triageService } from './reviewers/triage.server'
import { caseActions } from './reviewers/case-actions.server'
import { deletionService } from './reviewers/deletions.server'
import { retentionService } from './retention.server'
import { digestService } from './digest.server'
import { ready } from '#crypto'
import { blobService } from './blobs.server'
import { requestErrors } from './request-errors.server'
import { followupBudgets } from './budgets.server'
import { plainPath } from './plaintext/index.server'
import { i18nService } from './i18n.server'

/** Everything routes may call, built once per process and handed to Remix as load context. */
export async function openServices(config: Config) {
  await ready()
  const store = await Store.open(config.dbFile)
  await migrate(store)
  const inboxes = inboxService(store)
  const { budgets } = config
  const blobs = blobService(store, config.dataDir, config.files, budgets)
  // A restart forgets when each no-JS upload was made, so those never sent go now (decision 20).
  await blobs.forgetUnsentPlain()
  const followups = followupBudgets(budgets)
  const reports = reportService(store, inboxes, blobs, followups)
  const auth = reporterAuth(reports, { challengeSeconds: config.challengeSeconds, attemptsPerHour: config.abuse.loginAttemptsPerHour, limits: budgets })
  const pow = powGate(config.abuse)
  const forms = formBudget(config.abuse.noJsPostsPerMinute, config.abuse.noJsPostsBurst)
  const sessions = reviewerSessions()
  const members = memberService(store, sessions)
  const pins = pinService(store, members)
  // Read per ceremony: the public address is only final once the server knows its port.
  const reviewers = reviewerService(store, sessions, pins, () => relyingParty(config.publicUrl))
  const passkeys = passkeyService(store, sessions, () => relyingParty(config.publicUrl), reviewers.keyring)
  const custody = inboxCustody(store)
  const invites = inviteService(
    store,
    sessions,
    members,
    reviewers.keyring,
    () => relyingParty(config.publicUrl),
    () => config.publicUrl,
  )
  const triage = triageService(store, members, blobs)
  const retention = retentionService(store, blobs)
  const cases = caseActions(store, members, retention)
  const deletions = deletionService(store, members, retention)
  const errors = requestErrors()
  const i18n = i18nService()
  const digests = digestService(store, members, config, i18n)
  const plain = plainPath({ blobs, forms, i18n, inboxes, reports })
  return {
    config,
    store,
    blobs,
    inboxes,
    reports,
    followups,
    auth,
    pow,
    forms,
    sessions,
    reviewers,
    custody,
    members,
    pins,
    invites,
    passkeys,
    triage,
    retention,
    cases,
    deletions,
    digests,
    errors,
    plain,
    i18n,
  }
}

export type Services = Awaited<ReturnType<typeof openServices>>
