import { useBlocker, useBeforeUnload } from '@remix-run/react'
import { useCallback, useEffect, useRef } from 'react'
import { useT } from '~/ui/i18n'
import { PageTitle } from '~/ui/page-title'
import { quickExitLeaving } from './quick-exit'
import { StartActions } from './start-actions'

/**
 * Until the reporter has shown they kept their receipt code, leaving the page asks first: a link,
 * Back or a client-side move is held here with a choice to stay, and a reload, a typed address or
 * closing the tab gets the browser's own question. Quick exit never asks: someone leaving in a
 * hurry must not be stopped by a dialog. The code is nowhere else, so losing the page loses it.
 */
export function ReceiptGuard({ active }: { active: boolean }) {
  const t = useT()
  const blocker = useBlocker(({ currentLocation, nextLocation }) => active && !quickExitLeaving() && nextLocation.key !== currentLocation.key)
  useBeforeUnload(
    useCallback(
      (e: BeforeUnloadEvent) => {
        if (!active || quickExitLeaving()) return
        e.preventDefault()
        // Older engines need returnValue set to ask at all; the words are the browser's own.
        e.returnValue = ''
      },
      [active],
    ),
  )
  const heading = useRef<HTMLHeadingElement>(null)
  const blocked = blocker.state === 'blocked'
  useEffect(() => {
    if (blocked) heading.current?.focus()
  }, [blocked])
  // A step onward that finishes the check lifts the guard, so a held move is let through.
  useEffect(() => {
    if (!active && blocker.state === 'blocked') blocker.proceed()
  }, [active, blocker])
  if (!blocked) return null
  return (
    <div className="leave-guard" role="alertdialog" aria-labelledby="leave-title" aria-describedby="leave-body" data-leave-guard>
      <h2 id="leave-title" tabIndex={-1} ref={heading}>
        {t('leave.guard.heading')}
      </h2>
      <p id="leave-body">{t('leave.guard.body')}</p>
      <div className="actions">
        <button type="button" className="button" onClick={() => blocker.reset?.()}>
          {t('leave.guard.stay')}
        </button>
        <button type="button" className="button button--danger" onClick={() => blocker.proceed?.()}>
          {t('leave.guard.go')}
        </button>
      </div>
    </div>
  )
}

/**
 * A receipt address whose view has closed (the time ran out, or the portal restarted): the code
 * is gone from the server's memory, which is the point, and the page says so plainly.
 */
export function ReceiptGone() {
  const t = useT()
  return (
    <>
      <PageTitle step={t('leave.gone.heading')} />
      <h1 tabIndex={-1}>{t('leave.gone.heading')}</h1>
      <p>{t('leave.gone.body')}</p>
      <p>{t('leave.gone.next')}</p>
      <StartActions />
    </>
  )
}
