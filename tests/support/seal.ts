import { newReceipt, publishKey, ready, sealReport, type InboxKeys, type SealedReport } from '../../crypto/index'

/** What a browser with JS would POST, made with the same crypto/ code, for API-level tests. */
export async function sealedSubmission(inboxId: string, keys: InboxKeys, answers: unknown) {
  await ready()
  const receipt = newReceipt()
  const body: SealedReport = sealReport(answers, receipt, { ...publishKey(keys), inboxId })
  return { receipt, body }
}
