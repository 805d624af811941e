import { today } from '#common/days'
import { errorName, log } from './log.server'

/** Reviewer pages and their API: reviewer actions are audited to the millisecond already. */
const REVIEWER_PATH = /^\/(api\/)?review(\/|$)/

type Log = Pick<typeof log, 'error'>

/**
 * Requests that failed on our side (a bug, a broken transport). A line logged the moment a
 * reporter's request fails would date that reporter's action to the millisecond in the journal,
 * finer than the day everything else keeps. So failures of reporter requests are only counted, by
 * error kind, and written as one line per day once the day (UTC) is over; failures of reviewer
 * requests are logged as they happen, since the audit log times reviewer actions anyway. Never
 * the error's text: it could quote what someone typed.
 */
export function requestErrors(out: Log = log, now: () => Date = () => new Date()) {
  let day = today(now())
  let counts = new Map<string, number>()
  let timer: NodeJS.Timeout | undefined

  function flush() {
    if (counts.size) out.error({ day, failed: Object.fromEntries(counts) }, 'reporter requests that failed on our side that day')
    counts = new Map()
    day = today(now())
  }

  /** Until the next UTC midnight, then every day after. */
  function arm() {
    const t = now()
    const midnight = Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate() + 1)
    timer = setTimeout(
      () => {
        flush()
        arm()
      },
      midnight - t.getTime() + 1000,
    )
    timer.unref()
  }

  return {
    record(path: string, error: unknown) {
      const name = errorName(error)
      if (REVIEWER_PATH.test(path)) return void out.error({ name }, 'reviewer request failed')
      // A day that ended while nothing flushed (the process was idle, a timer was late) is written first.
      if (today(now()) !== day) flush()
      counts.set(name, (counts.get(name) ?? 0) + 1)
      if (!timer) arm()
    },

    // No flush at shutdown: a count written then would say the failures came before that moment.
    stop: () => clearTimeout(timer),
  }
}

export type RequestErrors = ReturnType<typeof requestErrors>
