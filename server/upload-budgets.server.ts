import { unattachedBytesOn } from './db/blobs.server'
import type { Connection } from './db/connection.server'
import { byteBucket, diskFloor, noJsBytesSpent, quotaSpent, type BudgetConfig } from './budgets.server'
import { today } from '#common/days'
import { errorName, log } from './log.server'

export type UploadBudgets = Pick<BudgetConfig, 'unattachedBytesPerDay' | 'minFreeBytes' | 'noJsFilesKeepMs' | 'noJsUploadBytesPerHour' | 'noJsUploadBurstBytes'>
const NO_BUDGETS: UploadBudgets = {
  unattachedBytesPerDay: Number.MAX_SAFE_INTEGER,
  minFreeBytes: 0,
  noJsFilesKeepMs: 60 * 60_000,
  noJsUploadBytesPerHour: Number.MAX_SAFE_INTEGER,
  noJsUploadBurstBytes: Number.MAX_SAFE_INTEGER,
}

/**
 * What the blob store may spend (decision 20), and the state it keeps in memory only: no-JS
 * uploads still streaming (their rows say 0 received until they finish) and no-JS uploads not yet
 * sent with the time they go. `remove` deletes unattached uploads by id when that time comes.
 */
export function uploadBudgets(dataDir: string, remove: (ids: string[]) => Promise<unknown>, budgets: UploadBudgets = NO_BUDGETS, now: () => number = Date.now) {
  const floor = diskFloor(dataDir, budgets.minFreeBytes)
  const noJsBytes = byteBucket(budgets.noJsUploadBytesPerHour, budgets.noJsUploadBurstBytes, now)
  const streaming = new Map<string, number>()
  const unsent = new Map<string, number>()

  async function expireUnsent() {
    const t = now()
    const due = [...unsent].filter(([, at]) => at <= t).map(([id]) => id)
    for (const id of due) unsent.delete(id)
    if (due.length) await remove(due)
  }
  const timer = setInterval(
    () => void expireUnsent().catch((err) => log.error({ error: errorName(err) }, 'deleting unsent files failed')),
    Math.max(1000, Math.min(60_000, budgets.noJsFilesKeepMs / 4)),
  )
  // Never keeps the process alive; it ends with it.
  timer.unref()

  return {
    /** Refuses (503, in words) while DATA_DIR is below its free-space floor. */
    checkFloor: () => floor.check(),
    /** Charges incoming no-JS file bytes to the shared budget, or refuses (429). */
    admitNoJs(bytes: number) {
      if (!noJsBytes.take(bytes)) throw noJsBytesSpent()
    },
    /**
     * Refuses (429) if `more` bytes would take today's unsent uploads past the quota: padded sizes
     * of unattached uploads begun today, no-JS ones by what they received or are streaming.
     */
    async fitQuota(q: Pick<Connection, 'get'>, more: number) {
      let n = (await unattachedBytesOn(q, today(new Date(now())))) + more
      for (const b of streaming.values()) n += b
      if (n > budgets.unattachedBytesPerDay) throw quotaSpent(budgets.unattachedBytesPerDay)
    },
    streamed: (id: string, written: number) => void streaming.set(id, written),
    streamEnded: (id: string) => void streaming.delete(id),
    /** A no-JS upload finished: it goes unless sent within its time. `at` now: try again soon. */
    deleteUnsentAt: (id: string, at = now() + budgets.noJsFilesKeepMs) => void unsent.set(id, at),
    forget: (id: string) => void unsent.delete(id),
    /** How long a no-JS upload waits for its report, as the pages say it. */
    keptMinutes: Math.max(1, Math.round(budgets.noJsFilesKeepMs / 60_000)),
  }
}
