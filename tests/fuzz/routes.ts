/**
 * Every route that takes input, by the name a browser would post to. Kept here so the fuzz test
 * and `npm run fuzz` cover the same list, and a new route is one line.
 */
export const JSON_ROUTES = [
  '/api/reports',
  '/api/reporter/challenge',
  '/api/reporter/login',
  '/api/reporter/messages',
  '/api/review/setup-options',
  '/api/review/setup-complete',
  '/api/review/sign-in-options',
  '/api/review/sign-in',
  '/api/review/invite',
  '/api/review/invite-options',
  '/api/review/invite-complete',
  '/api/review/invites',
  '/api/review/members/approve',
  '/api/review/members/decline',
  '/api/review/reviewers/remove',
  '/api/review/rotate',
  '/api/review/passkeys/options',
  '/api/review/passkeys/add',
  '/api/review/passkeys/remove',
  '/api/review/recover/options',
  '/api/review/recover/complete',
  '/api/review/inboxes',
  '/api/review/adopt-challenge',
  '/api/review/adopt',
  '/api/review/pins',
  '/api/review/triage/list',
  '/api/review/triage/open',
  '/api/review/triage/reply',
  '/api/review/triage/note',
  '/api/review/triage/status',
  '/api/review/triage/assign',
  '/api/review/triage/export',
  '/api/review/triage/withdrawal',
  '/api/review/triage/retention',
  '/api/review/triage/delete-report',
  '/api/review/triage/delete-message',
  '/api/review/digest',
  '/api/reporter/withdraw',
  '/api/uploads',
] as const

export const FORM_ROUTES = ['/report', '/check', '/check/download', '/review/sign-out'] as const

/** Field names the forms know, so random forms reach past "unknown field" into real checks. */
export const FORM_FIELDS = [
  'intent', 'inboxId', 'categories', 'whatHappened', 'when', 'where', 'who', 'role', 'contact',
  'receipt', 'lastGroup', 'message', 'website', 'file', 'confirm',
]
export const INTENTS = ['review', 'send', 'edit', 'confirm', 'open', 'followup']

/** Pages and reads (GET), so every address is also tried in spellings it must not answer to. */
export const GET_ROUTES = [
  '/', '/report', '/check', '/safer', '/exit', '/api/pow', '/api/reporter/thread',
  '/review', '/review/sign-in', '/review/recover', '/review/invite', '/review/setup', '/review/settings',
  '/review/members', '/review/inboxes', '/review/reports',
  '/review/inbox/:id', '/review/report/:id', '/api/blobs/:id', '/api/uploads/:id',
] as const
