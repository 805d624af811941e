import type { ChainMark } from '#crypto'
import type { ThreadModel } from '#common/thread-model'
import { useT } from '~/ui/i18n'

/**
 * What the reporter is told when the thread the site serves does not hold together: beside the
 * message whose place is wrong, and at the top when messages seen before are gone. Never skipped
 * in silence: a reader who is told can go to Professional Standards another way.
 */
export function PlaceNotice({ place }: { place: ChainMark }) {
  const t = useT()
  const words: Partial<Record<ChainMark, string>> = {
    missing: t('check.chain.missing'),
    reordered: t('check.chain.reordered'),
    repeated: t('check.chain.repeated'),
    forked: t('check.chain.forked'),
    misplaced: t('check.chain.misplaced'),
  }
  const said = words[place]
  return said ? (
    <p className="chain-notice" data-place={place}>
      {said}
    </p>
  ) : null
}

/** A message an admin deleted, as the site says: its place, no words. */
export function DeletedHere() {
  const t = useT()
  return (
    <li className="bubble bubble--deleted" data-place="deleted">
      <p>{t('check.chain.deleted')}</p>
    </li>
  )
}

/** At the top of the thread: messages this device verified before are gone, or the status is not signed. */
export function ChainAlert({ thread, statusName }: { thread: ThreadModel; statusName: (status: string) => string }) {
  const t = useT()
  const unsigned = thread.unsignedStatus
  if (thread.holdsRecorded && !unsigned) return null
  return (
    <div className="error-summary" role="alert" data-chain-alert={thread.holdsRecorded ? 'status' : 'cut'}>
      <h2>{thread.holdsRecorded ? t('check.chain.statusHeading') : t('check.chain.cutHeading')}</h2>
      {thread.holdsRecorded ? null : <p>{t('check.chain.cut')}</p>}
      {unsigned ? <p data-unsigned-status>{t('check.chain.unsignedStatus', { status: statusName(unsigned.status) })}</p> : null}
      <p>{t('check.chain.tellPsd')}</p>
    </div>
  )
}
