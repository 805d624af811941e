import fs from 'node:fs'
import {
  deriveReporterKeys,
  fromB64,
  openFile,
  openThreadAsReporter,
  normaliseReceipt,
  parseReceipt,
  RECEIPT_SYMBOLS,
  sealFollowup,
  sealReport,
  toB64,
  headNaming,
  type FileRef,
  type ReceiptProblem,
  type ReporterView,
  type SealedReport,
} from '#crypto'
import { isUserError, UserError, type ErrorKey } from '#common/errors'
import type { Answers } from '#common/report-fields'
import type { BlobService } from '../blobs.server'
import { noSuchReport, type ReportService, type Withdrawal } from '../reports.server'

const RECEIPT_REFUSALS: Record<ReceiptProblem, ErrorKey> = {
  empty: 'errors.receipt.empty',
  length: 'errors.receipt.length',
  characters: 'errors.receipt.characters',
  typo: 'errors.receipt.typo',
}

/** What is wrong with a receipt as typed, as a refusal each page words in its own language. */
export const receiptRefusal = (input: string, problem: ReceiptProblem) =>
  new UserError(400, RECEIPT_REFUSALS[problem], { values: { symbols: RECEIPT_SYMBOLS + 1, entered: normaliseReceipt(input).length } })

function receiptOrRefusal(input: string) {
  const receipt = parseReceipt(input)
  if (receipt.ok) return receipt
  throw receiptRefusal(input, receipt.problem)
}

/** A file the no-JS path stored: its reference goes inside the sealed message, its token next to it. */
export type PlainAttachment = { ref: FileRef; token: string }

export type OpenedPlain = {
  view: ReporterView
  status: string
  outcome: string | null
  withdrawal: Withdrawal
  withdrawalRequestedDay: string | null
  receivedDay: string
  reportId: string
}

/**
 * The report service's no-JavaScript side: answers, receipts and follow-ups arrive as plaintext,
 * are sealed or opened here with the same crypto/ code the browser runs, and only the opaque
 * result reaches the report service and the store. Keys live in this request's memory only.
 */
export function plainReports(reports: ReportService, blobs: Pick<BlobService, 'forReading'>) {
  const plain = {
    async submit(inboxId: string, answers: Answers, receipt: string, files: PlainAttachment[] = []): Promise<{ receipt: string }> {
      const inbox = await reports.sealingKey(inboxId)
      // The same rule as the browser's: only the newest key the log traces, and its head recorded.
      const logHead = headNaming(inbox.log, inbox.current)
      if (!logHead) throw new UserError(409, 'errors.reports.notTraced')
      const sealed: SealedReport = sealReport(
        answers,
        receipt,
        { ...inbox.current, inboxId, logHead },
        files.map((f) => f.ref),
      )
      try {
        await reports.submitSealed({ ...sealed, ...(files.length ? { files: files.map((f) => ({ id: f.ref.id, token: f.token })) } : {}) })
      } catch (err) {
        // The same receipt again is the same officer re-sending the same page: already filed.
        if (!(isUserError(err) && err.status === 409 && (await reports.reportIdForLogin(sealed.locator)))) throw err
      }
      return { receipt }
    },

    /** "Check replies": derive the keys in memory, open the thread, forget the keys. */
    async open(receiptInput: string): Promise<OpenedPlain> {
      const receipt = receiptOrRefusal(receiptInput)
      const keys = deriveReporterKeys(receipt.normalised)
      const found = await reports.reportIdForLogin(keys.locator)
      if (!found || found.signPk !== toB64(keys.sign.publicKey)) throw noSuchReport()
      const thread = await reports.wireThread(found.id)
      return {
        view: openThreadAsReporter(thread, keys),
        status: thread.status,
        outcome: thread.outcome,
        withdrawal: thread.withdrawal,
        withdrawalRequestedDay: thread.withdrawalRequestedDay,
        receivedDay: thread.receivedDay,
        reportId: found.id,
      }
    },

    async withdraw(receiptInput: string): Promise<void> {
      const { reportId } = await plain.open(receiptInput)
      await reports.requestWithdrawal(reportId)
    },

    /**
     * A download: the file must be named in a verified message of the thread, and it is opened
     * whole (a damaged file gives nothing) and handed back to be sent. Neither the key nor the
     * plaintext is kept or written anywhere.
     */
    async download(receiptInput: string, fileId: string): Promise<{ name: string; bytes: Uint8Array }> {
      const { view, reportId } = await plain.open(receiptInput)
      const ref = [...view.files, ...view.messages.flatMap((m) => (m.verified ? m.files : []))].find((f) => f.id === fileId)
      if (!ref) throw new UserError(404, 'errors.reports.fileNotInReport')
      const blob = await blobs.forReading(ref.id, { reportId })
      try {
        return { name: ref.name, bytes: openFile(fromB64(ref.key), new Uint8Array(await fs.promises.readFile(blob.file)), ref.size) }
      } catch {
        throw new UserError(409, 'errors.reports.fileDamaged')
      }
    },

    async followup(receiptInput: string, text: string, files: PlainAttachment[] = []): Promise<void> {
      const { view, reportId } = await plain.open(receiptInput)
      if (!view.sealTo) throw new UserError(409, 'errors.reports.keysUnverified')
      const receipt = receiptOrRefusal(receiptInput)
      const chain = view.chain.next
      const envelope = sealFollowup(
        text,
        deriveReporterKeys(receipt.normalised),
        view.sealTo.boxPk,
        files.map((f) => f.ref),
        chain,
      )
      await reports.addFollowupPlain(
        reportId,
        { keyVersion: view.sealTo.keyVersion, envelope, prev: chain.prev },
        files.map((f) => ({ id: f.ref.id, token: f.token })),
      )
    },
  }
  return plain
}

export type PlainReports = ReturnType<typeof plainReports>
