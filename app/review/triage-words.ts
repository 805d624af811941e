import type { Translate } from '#common/i18n/translate'
import type { DeleteReason } from '#common/delete-reasons'

/**
 * The words triage shows for its fixed ids, in the page's language. Each key is spelt out so the
 * catalogue test can find it.
 */
export function statusLabel(t: Translate, status: string): string {
  switch (status) {
    case 'received':
      return t('triage.status.received')
    case 'acknowledged':
      return t('triage.status.acknowledged')
    case 'assessing':
      return t('triage.status.assessing')
    case 'investigating':
      return t('triage.status.investigating')
    case 'referred':
      return t('triage.status.referred')
    case 'closed':
      return t('triage.status.closed')
    default:
      return status
  }
}

export function outcomeLabel(t: Translate, outcome: string | null): string {
  switch (outcome) {
    case 'action-taken':
      return t('triage.outcome.actionTaken')
    case 'no-further-action':
      return t('triage.outcome.noFurtherAction')
    case 'not-enough-information':
      return t('triage.outcome.notEnoughInformation')
    case 'resolved-informally':
      return t('triage.outcome.resolvedInformally')
    default:
      return ''
  }
}

export function trailLabel(t: Translate, action: string): string {
  switch (action) {
    case 'report.open':
      return t('triage.trail.open')
    case 'report.reply':
      return t('triage.trail.reply')
    case 'report.note':
      return t('triage.trail.note')
    case 'report.status':
      return t('triage.trail.status')
    case 'report.assign':
      return t('triage.trail.assign')
    case 'report.export':
      return t('triage.trail.export')
    case 'report.withdrawal-declined':
      return t('triage.trail.withdrawalDeclined')
    case 'message.delete':
      return t('triage.trail.messageDelete')
    default:
      return action
  }
}

export function deleteReasonLabel(t: Translate, reason: DeleteReason): string {
  if (reason === 'junk') return t('triage.deleteReason.junk')
  if (reason === 'duplicate') return t('triage.deleteReason.duplicate')
  return t('triage.deleteReason.unreadable')
}

/**
 * A day (YYYY-MM-DD) with the month's name from the catalogue rather than the browser's Intl,
 * which may know no Welsh: server and browser render the same words.
 */
export function dayLabel(t: Translate, day: string, short = false): string {
  const [year, month, date] = day.split('-').map(Number)
  const months = (short ? t('triage.monthsShort') : t('triage.months')).split(' ')
  return t('triage.day', { day: date, month: months[month - 1], year })
}
