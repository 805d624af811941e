import { ACKNOWLEDGE_DAYS, FEEDBACK_MONTHS, type Outcome, type Status } from '#common/triage-rules'
import { addDays, addMonths, today } from '#common/days'
import type { Translate } from '#common/i18n/translate'
import type { ThreadModel } from '#common/thread-model'
import { useT } from '~/ui/i18n'

/**
 * A day in the page's language, as every date on the reporter's thread is shown. The month names
 * come from the catalogue, not Intl: a browser's Intl may lack Welsh (Debian's Chromium does), and
 * the server's render and the browser's must agree.
 */
export function useDay(): (day: string) => string {
  const t = useT()
  const months = t('check.months').split(' ')
  return (day) => {
    const [year, month, date] = day.split('-').map(Number)
    return t('check.date', { day: date, month: months[month - 1], year })
  }
}

/** Each status as the reporter reads it: its name, and what it means for them in plain words. */
const statusWords = (t: Translate): Record<Status, [string, string]> => ({
  received: [t('check.status.received.name'), t('check.status.received.about')],
  acknowledged: [t('check.status.acknowledged.name'), t('check.status.acknowledged.about')],
  assessing: [t('check.status.assessing.name'), t('check.status.assessing.about')],
  investigating: [t('check.status.investigating.name'), t('check.status.investigating.about')],
  referred: [t('check.status.referred.name'), t('check.status.referred.about')],
  closed: [t('check.status.closed.name'), t('check.status.closed.about')],
})

const outcomeWords = (t: Translate): Record<Outcome, string> => ({
  'action-taken': t('check.status.outcomes.actionTaken'),
  'no-further-action': t('check.status.outcomes.noFurtherAction'),
  'not-enough-information': t('check.status.outcomes.notEnoughInformation'),
  'resolved-informally': t('check.status.outcomes.resolvedInformally'),
})

/** A status and outcome by name, for a status the site claims and for a change in the thread. */
export function useStatusName() {
  const t = useT()
  const words = statusWords(t)
  const outcomes = outcomeWords(t)
  return (status: string, outcome?: string | null) => ({
    name: Object.hasOwn(words, status) ? words[status as Status][0] : status,
    outcome: outcome && Object.hasOwn(outcomes, outcome) ? outcomes[outcome as Outcome] : '',
  })
}

/** The promise the reviewers are held to next, while it is still ahead: nothing once it has passed. */
function nextDeadline(t: Translate, thread: ThreadModel, day: (d: string) => string): string | null {
  const now = today()
  if (thread.status === 'received') {
    const due = addDays(thread.receivedDay, ACKNOWLEDGE_DAYS)
    return due >= now ? t('check.status.acknowledgeBy', { day: day(due) }) : null
  }
  if (thread.status === 'closed') return null
  const due = addMonths(thread.receivedDay, FEEDBACK_MONTHS)
  return due >= now ? t('check.status.feedbackBy', { day: day(due) }) : null
}

/** Where the report stands, in plain words, at the top of the thread. */
export function StatusCard({ thread }: { thread: ThreadModel }) {
  const t = useT()
  const day = useDay()
  const words = statusWords(t)
  const [name, about] = Object.hasOwn(words, thread.status) ? words[thread.status as Status] : [thread.status, '']
  const outcomes = outcomeWords(t)
  const outcome = thread.status === 'closed' && thread.outcome && Object.hasOwn(outcomes, thread.outcome) ? outcomes[thread.outcome as Outcome] : ''
  const deadline = nextDeadline(t, thread, day)
  return (
    <div className="status-card" role="status" data-status-card>
      <p className="status-card__label">{t('check.status.label')}</p>
      <p className="status-card__value">{name}</p>
      <p>{about}</p>
      {outcome ? <p>{t('check.status.outcome', { outcome })}</p> : null}
      {thread.withdrawal === 'requested' ? (
        <p>
          <strong>
            {thread.withdrawalRequestedDay ? t('check.status.withdrawAskedOn', { day: day(thread.withdrawalRequestedDay) }) : t('check.status.withdrawAsked')}
          </strong>
        </p>
      ) : thread.withdrawal === 'declined' ? (
        <p>
          <strong>{t('check.status.withdrawDeclined')}</strong>
        </p>
      ) : null}
      {deadline ? <p className="status-card__meta">{deadline}</p> : null}
      <p className="status-card__meta">{t('check.status.sentOn', { day: day(thread.receivedDay) })}</p>
    </div>
  )
}
