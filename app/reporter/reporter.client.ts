import type { PublishedKey, ReporterKeys, ReporterView, WireThread } from '#crypto'
import type { Answers } from '#common/report-fields'
import type { Translate } from '#common/i18n/translate'
import { receiptRefusal } from '#common/receipt-words'
import { Refusal, t } from '#common/i18n/message'
import { callApi } from '~/ui/api.client'
import { loadCrypto } from '~/ui/crypto.client'
import { sendWithProof } from '~/ui/pow.client'
import type { Uploaded } from '~/ui/uploads.client'

/** A message's files: references inside the sealed payload, capabilities beside it (docs/protocol.md, section 8.3). */
const attachments = (files: Uploaded[]) => (files.length ? { files: files.map((f) => f.attachment) } : {})

/**
 * Makes the receipt, seals the report on this device and sends only opaque values, with a
 * proof of work (decision 12); `onSlow` is told if that proof takes more than a moment.
 */
export async function sealAndSend(
  answers: Answers,
  inbox: { id: string; key: PublishedKey; log: unknown[] },
  onSlow?: () => void,
  files: Uploaded[] = [],
): Promise<string> {
  const c = await loadCrypto()
  const head = c.headNaming(inbox.log, inbox.key)
  if (!head) throw new Refusal(UNTRACEABLE)
  const receipt = c.newReceipt()
  const sealed = c.sealReport(
    answers,
    receipt,
    { ...inbox.key, inboxId: inbox.id, logHead: head },
    files.map((f) => f.ref),
  )
  await sendWithProof('/api/reports', 'report', { ...sealed, ...attachments(files) }, onSlow)
  return receipt
}

export const UNTRACEABLE = t('report.review.untraceable')

/** The fingerprint of the identity a key log starts from, traced here; null if the log does not verify. */
export async function tracedFingerprint(log: unknown[]): Promise<string | null> {
  const c = await loadCrypto()
  const traced = c.traceLog(log)
  return traced.ok ? c.fingerprint(c.fromB64(traced.genesisSignPk)) : null
}

/**
 * Seals what this visit verified into the self-note (the key log's head and the thread's), so the
 * next visit can tell a server that moved on from one that forked or cut back. A note that cannot
 * be sent now is sent next time.
 */
async function recordHeads(c: Awaited<ReturnType<typeof loadCrypto>>, token: string, keys: ReporterKeys, view: ReporterView) {
  const heads = c.headsToRecord(view)
  if (!heads || !view.pinned) return
  const selfNote = c.sealSelfNote({ ...view.pinned, ...heads }, keys.noteKey)
  await callApi('/api/reporter/self-note', { token, body: { selfNote } }).catch(() => undefined)
}

/** What the thread API adds around the opaque thread: where the report stands, in the open. */
type ReporterWireThread = WireThread & {
  outcome: string | null
  withdrawal: 'requested' | 'declined' | null
  withdrawalRequestedDay: string | null
}

export type ThreadRead = Awaited<ReturnType<typeof readThread>>
export type OpenThread = ThreadRead & { token: string; keys: ReporterKeys }

/** Proves the receipt by signing a one-time challenge, then opens the thread on this device. */
export async function openWithReceipt(t: Translate, input: string, onSlow?: () => void): Promise<OpenThread> {
  const c = await loadCrypto()
  const parsed = c.parseReceipt(input)
  if (!parsed.ok) throw new Error(receiptRefusal(t, parsed))
  const keys = c.deriveReporterKeys(parsed.normalised)
  const { challengeId, challenge } = await sendWithProof<{ challengeId: string; challenge: string }>(
    '/api/reporter/challenge',
    'sign-in',
    { locator: keys.locator },
    onSlow,
  )
  const signature = c.toB64(c.sign('login', c.fromB64(challenge), keys.sign.privateKey))
  const { token } = await callApi<{ token: string }>('/api/reporter/login', { body: { challengeId, signature } })
  return { ...(await readThread(token, keys)), token, keys }
}

export async function readThread(token: string, keys: ReporterKeys) {
  const c = await loadCrypto()
  const thread = await callApi<ReporterWireThread>('/api/reporter/thread', { token })
  const view = c.openThreadAsReporter(thread, keys)
  await recordHeads(c, token, keys, view)
  return {
    view,
    status: thread.status,
    outcome: thread.outcome,
    withdrawal: thread.withdrawal,
    withdrawalRequestedDay: thread.withdrawalRequestedDay,
    receivedDay: thread.receivedDay,
  }
}

export async function sendFollowup(t: Translate, open: OpenThread, text: string, files: Uploaded[] = []): Promise<void> {
  const c = await loadCrypto()
  const to = open.view.sealTo
  if (!to) throw new Error(t('check.reply.cannotVerify'))
  const chain = open.view.chain.next
  await callApi('/api/reporter/messages', {
    token: open.token,
    body: {
      keyVersion: to.keyVersion,
      envelope: c.sealFollowup(
        text,
        open.keys,
        to.boxPk,
        files.map((f) => f.ref),
        chain,
      ),
      prev: chain.prev,
      ...attachments(files),
    },
  })
}

/** Asks the reviewers to withdraw the report this session is bound to; they decide. */
export async function askToWithdraw(open: OpenThread): Promise<void> {
  await callApi('/api/reporter/withdraw', { token: open.token, body: { confirm: true } })
}
