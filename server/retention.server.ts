import { appendAudit } from './audit.server'
import type { Store } from './db/store.server'
import type { Connection } from './db/connection.server'
import { closedReportsDue, deleteReportRow, isClosedReportDue } from './db/reports.server'
import { today as todayUtc } from '#common/days'
import type { BlobService } from './blobs.server'
import { errorName, log } from './log.server'
import type { DeleteReason } from '#common/delete-reasons'

/**
 * Deleting reports for good: closed reports once their inbox's retention period has passed, and
 * withdrawn ones when a reviewer accepts the request. Rows go with secure_delete on (the store
 * sets it), then the file is rebuilt so freed pages and old WAL frames do not linger.
 */

/** Deletes one report's rows inside the caller's transaction; messages and read marks cascade. */
export async function deleteReportRows(tx: Connection, reportId: string, actor: string, reason: 'retention' | 'withdrawn' | DeleteReason) {
  const { changes } = await deleteReportRow(tx, reportId)
  if (changes) await appendAudit(tx, { actor, action: 'report.delete', subject: reportId, detail: { reason } })
  return changes > 0
}

export function retentionService(store: Store, blobs: Pick<BlobService, 'sweep'>) {
  let reclaiming: Promise<void> | undefined
  /**
   * One reclaim at a time; a request arriving during one waits for it and then runs again. Blob
   * files whose rows went with their report are removed first: without the sealed message that
   * held its key, a blob was already unreadable noise.
   */
  const reclaim = async () => {
    while (reclaiming) await reclaiming
    reclaiming = blobs
      .sweep()
      .then(() => store.reclaim())
      .finally(() => (reclaiming = undefined))
    return reclaiming
  }

  return {
    reclaim,

    /** Deletes every closed report whose retention period ended on or before `today`. */
    async sweep(today = todayUtc()): Promise<{ deleted: number }> {
      const due = await closedReportsDue(store.read, today)
      let deleted = 0
      for (const { id } of due) {
        // One transaction each, re-checking the state, so a report reopened meanwhile stays.
        const gone = await store.transaction(async (tx) => ((await isClosedReportDue(tx, id, today)) ? deleteReportRows(tx, id, 'system', 'retention') : false))
        if (gone) deleted++
      }
      if (deleted) {
        await reclaim() // which sweeps the blobs too
        log.info({ deleted }, 'retention: closed reports deleted')
        // Uploads never attached to a message go too, a day after they began.
      } else await blobs.sweep(today)
      return { deleted }
    },

    /** Sweeps now and then every `minutes`; returns a stop function. */
    schedule(minutes: number) {
      const run = () => void this.sweep().catch((err) => log.error({ error: errorName(err) }, 'retention sweep failed'))
      run()
      const timer = setInterval(run, minutes * 60_000)
      timer.unref()
      return () => clearInterval(timer)
    },
  }
}

export type RetentionService = ReturnType<typeof retentionService>
