import fs from 'node:fs'
import {
  deriveReporterKeys,
  fromB64,
  openFile,
  openThreadAsReporter,
  parseReceipt,
  sealFollowup,
  sealReport,
  toB64,
  headNaming,
  type FileRef,
  type ReporterView,
  type SealedReport,
} from '#crypto'
import { isUserError, UserError } from '#common/errors'
import type { Answers } from '#common/report-fields'
import type { BlobService } from '../blobs.server'
import { NO_SUCH_REPORT, type ReportService, type Withdrawal } from '../reports.server'

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
      if (!logHead) throw new UserError(409, "This inbox's keys cannot be traced through its key log yet, so nothing was sent. Please try again later.")
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
      const receipt = parseReceipt(receiptInput)
      if (!receipt.ok) throw new UserError(400, receipt.message)
      const keys = deriveReporterKeys(receipt.normalised)
      const found = await reports.reportIdForLogin(keys.locator)
      if (!found || found.signPk !== toB64(keys.sign.publicKey)) throw new UserError(404, NO_SUCH_REPORT)
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
      if (!ref) throw new UserError(404, 'That file is not part of your report.')
      const blob = await blobs.forReading(ref.id, { reportId })
      try {
        return { name: ref.name, bytes: openFile(fromB64(ref.key), new Uint8Array(await fs.promises.readFile(blob.file)), ref.size) }
      } catch {
        throw new UserError(409, 'This file is damaged or incomplete, so none of it can be downloaded.')
      }
    },

    async followup(receiptInput: string, text: string, files: PlainAttachment[] = []): Promise<void> {
      const { view, reportId } = await plain.open(receiptInput)
      if (!view.sealTo) throw new UserError(409, 'The inbox keys could not be verified, so nothing was sent.')
      const receipt = parseReceipt(receiptInput)
      if (!receipt.ok) throw new UserError(400, receipt.message)
      const env = sealFollowup(
        text,
        deriveReporterKeys(receipt.normalised),
        view.sealTo.boxPk,
        files.map((f) => f.ref),
      )
      await reports.addFollowupPlain(
        reportId,
        view.sealTo.keyVersion,
        env,
        files.map((f) => ({ id: f.ref.id, token: f.token })),
      )
    },
  }
  return plain
}

export type PlainReports = ReturnType<typeof plainReports>
